// Presence between local users (RFC 6121 §4): broadcasts, probes and directed presence along
// the subscriptions of the roster.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "xmpp/im/offline_store.h"
#include "xmpp/im/roster.h"
#include "xmpp/im/sessions.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// Parses <priority/> (RFC 6121 §4.7.2.3); absent, not a number or out of range gives 0.
Priority parse_priority(const xml::Element& presence);

class PresenceBroker {
public:
  // All three must outlive the broker.
  PresenceBroker(Sessions& sessions, const Roster& roster, OfflineStore& offline)
      : sessions_(sessions), roster_(roster), offline_(offline) {}

  // Presence with no 'to' from a bound resource: available (§4.2, §4.4) or unavailable
  // (§4.5); other types are dropped. 'from' is the sender's full JID.
  void on_broadcast(Resource& sender, const xml::Element& presence);
  // The resource's stream has ended and it is out of the registry: unavailable presence on
  // its behalf if it was available (§4.5.2).
  void on_closed(Resource& closed);
  // Available, unavailable or error presence with a 'to' that names a local account (§4.6).
  // `to` has a localpart.
  void on_directed(Resource& sender, const Jid& to, const xml::Element& presence);
  // The user (a bare JID) is in a call in `call_state`, or no longer (nullopt): their
  // resources' presence is broadcast again as on_the_phone() shows it, or as they sent it.
  void set_phone_call(const Jid& user, std::optional<std::string_view> call_state);

  // A subscription began (§3.1.5): `contact`'s available resources get the current presence
  // of each of `user`'s available resources.
  void send_current_presence(const Jid& user, const Jid& contact);
  // A subscription ended (§3.2.2, §3.3.2): `contact`'s available resources get unavailable
  // presence from each of `user`'s available resources.
  void send_unavailable(const Jid& user, const Jid& contact);

private:
  void become_available(Resource& sender, xml::Element presence);
  void become_unavailable(Resource& sender, const xml::Element& presence);
  // Sends the resource's available presence to the contacts that see its user and to the
  // user's available resources (§4.2.2, §4.4.2).
  void broadcast(const Resource& sender, const std::vector<RosterItem>& roster,
                 const xml::Element& presence);
  // A resource's last presence as others see it: changed while its user is on the phone.
  [[nodiscard]] xml::Element as_seen(const Resource& resource) const;
  // Delivers a copy addressed to each resource ('to' = its full JID).
  static void deliver_to(const std::vector<Resource*>& resources, const xml::Element& stanza);

  Sessions& sessions_;
  const Roster& roster_;
  OfflineStore& offline_;
  // Users in a call (bare JID) and the call's state.
  std::map<Jid, std::string> phone_calls_;
};

} // namespace starling::xmpp::im
