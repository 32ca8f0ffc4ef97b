// Presence subscriptions (RFC 6121 §3): what a user's subscribe, subscribed, unsubscribe and
// unsubscribed do to both rosters, for local contacts and for contacts elsewhere.
#pragma once

#include <string>
#include <string_view>

#include "xmpp/im/presence_broker.h"
#include "xmpp/im/roster.h"
#include "xmpp/im/roster_push.h"
#include "xmpp/im/sessions.h"
#include "xmpp/im/subscription_state.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// On the router's thread; everything it is given must outlive it. There is no
// server-to-server link: a request to a contact of another domain changes the user's roster
// (it stays Pending Out) and goes no further.
class Subscriptions {
public:
  Subscriptions(std::string_view domain, Roster& roster, Sessions& sessions,
                PresenceBroker& presence, RosterPushes& pushes)
      : domain_(domain), roster_(roster), sessions_(sessions), presence_(presence),
        pushes_(pushes) {}

  // A subscription stanza a resource of `user` sent to `contact` (a bare JID with a
  // localpart, of any domain).
  void on_outbound(const Jid& user, const Jid& contact, SubscriptionType type,
                   const xml::Element& presence);
  // RFC 6121 §2.5.2: before an item is removed, both directions are cancelled: unsubscribe
  // for the user's subscription (or request), unsubscribed for the contact's.
  void cancel_both(const Jid& user, const Jid& contact);

private:
  // The stanza arriving at the user `to`'s side from `from` (Appendix A.3).
  void on_inbound(const Jid& to, const Jid& from, SubscriptionType type,
                  const xml::Element& stanza);
  // Stores the state and pushes the item when it changed.
  void change(const Jid& user, const Jid& contact, const SubscriptionState& next);
  [[nodiscard]] bool is_local_account(const Jid& jid) const;

  std::string domain_;
  Roster& roster_;
  Sessions& sessions_;
  PresenceBroker& presence_;
  RosterPushes& pushes_;
};

} // namespace starling::xmpp::im
