// One entry of a user's roster (RFC 6121 §2.1.2): a contact, its name, groups and subscription.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/jid.h"

namespace starling::xmpp::im {

// RFC 6121 §2.1.2.5: who sees whose presence. "to": the user sees the contact's; "from": the
// contact sees the user's.
enum class Subscription : std::uint8_t { none, to, from, both };

std::string_view to_string(Subscription subscription);

// Whether the contact receives the user's presence broadcasts (RFC 6121 §4.2.2).
inline bool contact_sees_user(Subscription s) {
  return s == Subscription::from || s == Subscription::both;
}
// Whether the user is sent the contact's presence on probe (RFC 6121 §4.3).
inline bool user_sees_contact(Subscription s) {
  return s == Subscription::to || s == Subscription::both;
}

struct RosterItem {
  Jid jid; // bare
  std::string name;
  Subscription subscription = Subscription::none;
  std::vector<std::string> groups;
  // Comes from the server's configuration (a shared group), so the user cannot change or
  // remove it with a roster set.
  bool shared = false;
};

} // namespace starling::xmpp::im
