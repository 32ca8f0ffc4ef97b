// Blocking Command (XEP-0191): each user's blocklist, the iq that manages it, and the rules
// that keep a user and the entities they block apart.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "xmpp/im/delivery_filter.h"
#include "xmpp/im/iq_handler.h"
#include "xmpp/im/sessions.h"
#include "xmpp/im/user_data.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

inline constexpr std::string_view kBlockingNamespace = "urn:xmpp:blocking";              // §9.1
inline constexpr std::string_view kBlockingErrorsNamespace = "urn:xmpp:blocking:errors"; // §9.1
// The UserData kind of a blocklist: one entry per blocked JID, keyed by the JID's text.
inline constexpr std::string_view kBlocklistKind = "blocklist";
// Blocking is for the nuisances of a company's chat, not a firewall: a list this long is
// a client gone wrong, refused with not-acceptable before it grows the server's memory.
inline constexpr std::size_t kMaxBlocklistItems = 1000;

// Registered on the router as an iq handler (the blocklist requests, §3.2–§3.5) and as a
// delivery filter (what a block stops, §3.3 and the error rules that follow it).
class Blocking final : public IqHandler, public DeliveryFilter {
public:
  // `domain` is the server's canonical domain; `sessions` and `data` must outlive this object.
  Blocking(std::string domain, Sessions& sessions, UserData& data)
      : domain_(std::move(domain)), sessions_(sessions), data_(data) {}

  bool on_request(Resource& sender, const std::optional<Jid>& to, const xml::Element& iq) override;
  bool stops(Resource& sender, const Jid& to, const xml::Element& stanza) override;
  [[nodiscard]] bool allows(const xml::Element& stanza, const Jid& recipient) const override;

  // Whether the local user `user` (a localpart) blocks `entity`: an item matches the full
  // JID, the bare JID, the domain with the resource, or the domain (§6, XEP-0016 §2.1).
  [[nodiscard]] bool blocks(std::string_view user, const Jid& entity) const;

private:
  void block(Resource& sender, const xml::Element& iq, const xml::Element& command);
  void unblock(Resource& sender, const xml::Element& iq, const xml::Element& command);
  // The blocklist as a <blocklist/> payload (§3.2).
  [[nodiscard]] xml::Element blocklist(std::string_view user) const;
  // §3.3, §3.4: the same command, pushed to the user's resources that asked for the list.
  void push(const Jid& user, const xml::Element& command);
  // Each available resource of `from_user` shows itself to the available resources of the
  // local account `to` as it is now (`available`) or as gone. Used in both directions on
  // block and unblock, since the filter hides every update in between.
  void show_presence(const Jid& from_user, const Jid& to, bool available);
  void show_presence_both_ways(const Jid& user, const Jid& contact, bool available);

  std::string domain_;
  Sessions& sessions_;
  UserData& data_;
  // Full JIDs of the resources that asked for their blocklist: they get the pushes (§3.2).
  // Pruned of resources no longer bound on each push.
  std::set<Jid> interested_;
  std::uint64_t pushes_ = 0; // for the pushes' ids
};

} // namespace starling::xmpp::im
