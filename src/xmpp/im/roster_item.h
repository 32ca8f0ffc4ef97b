// One entry of a user's roster (RFC 6121 §2.1.2): a contact, its name, groups and subscription,
// and its <item/> element both ways (roster results and pushes out, roster sets in).
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/im/stanza_error.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// RFC 6121 §2.1.2.5: who sees whose presence. "to": the user sees the contact's; "from": the
// contact sees the user's.
enum class Subscription : std::uint8_t { none, to, from, both };

std::string_view to_string(Subscription subscription);
std::optional<Subscription> parse_subscription(std::string_view text);

// Whether the contact receives the user's presence broadcasts (RFC 6121 §4.2.2).
inline bool contact_sees_user(Subscription s) {
  return s == Subscription::from || s == Subscription::both;
}
// Whether the user is sent the contact's presence on probe (RFC 6121 §4.3).
inline bool user_sees_contact(Subscription s) {
  return s == Subscription::to || s == Subscription::both;
}

// RFC 6121 §2.1.2.3 leaves the limits to the server; these keep a stored item small.
inline constexpr std::size_t kMaxRosterNameLength = 1024;
inline constexpr std::size_t kMaxRosterGroupLength = 1024;
inline constexpr std::size_t kMaxRosterGroups = 32;

struct RosterItem {
  Jid jid; // bare
  std::string name{};
  Subscription subscription = Subscription::none;
  // RFC 6121 §2.1.2.2: ask='subscribe', the user's subscription request is pending ("Pending
  // Out" in Appendix A).
  bool ask = false;
  std::vector<std::string> groups{};
  // Comes from the server's configuration (a shared group), so the user cannot change or
  // remove it with a roster set.
  bool shared = false;

  friend bool operator==(const RosterItem&, const RosterItem&) = default;
};

// The <item/> in namespace `ns` as results, pushes and the store carry it.
[[nodiscard]] xml::Element to_element(const RosterItem& item,
                                      std::string_view ns = "jabber:iq:roster");

// A stored <item/> back; nullopt when it is not one (the store is trusted, but not blindly).
[[nodiscard]] std::optional<RosterItem> from_element(const xml::Element& element);

// What a client's roster set asks for (RFC 6121 §2.3, §2.5).
struct RosterSetRequest {
  Jid jid;             // bare
  bool remove = false; // subscription='remove'
  std::string name{};
  std::vector<std::string> groups{};
};

// The one <item/> of a roster set's <query/>, checked as RFC 6121 §2.3.3 and §2.5.3 ask:
// bad-request for a missing or malformed 'jid', a JID with a resource, several items or a
// duplicate group; not-acceptable for an empty or over-long group or name.
[[nodiscard]] std::expected<RosterSetRequest, StanzaErrorCondition>
parse_roster_set(const xml::Element& query);

} // namespace starling::xmpp::im
