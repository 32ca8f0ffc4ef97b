// The presence subscription state machine of RFC 6121 Appendix A: how a user's subscription
// with one contact changes with each subscription stanza the user sends (outbound, A.2) or
// the contact sends (inbound, A.3), as the user's server sees it.
#pragma once

#include <cstdint>

#include "xmpp/im/roster_item.h"

namespace starling::xmpp::im {

// One of the nine states of Appendix A.1 ("None + Pending Out", "From", ...).
struct SubscriptionState {
  Subscription subscription = Subscription::none;
  bool pending_out = false; // the user asked to see the contact's presence (ask='subscribe')
  bool pending_in = false;  // the contact asked to see the user's presence

  friend bool operator==(const SubscriptionState&, const SubscriptionState&) = default;
};

enum class SubscriptionType : std::uint8_t { subscribe, subscribed, unsubscribe, unsubscribed };

// The stanza's type attribute; nullopt for other presence types.
[[nodiscard]] std::optional<SubscriptionType> parse_subscription_type(std::string_view type);

struct Transition {
  SubscriptionState state;
  // A.2: the user's server sends the stanza on to the contact; A.3: delivers it to the user.
  // False when the appendix says the stanza is ignored (or, for an inbound subscribe in
  // From or Both, answered with "subscribed" by the server: see `auto_reply_subscribed`).
  bool pass_on = false;
  // A.3.1: the user already lets the contact see their presence; the server answers.
  bool auto_reply_subscribed = false;
};

[[nodiscard]] Transition outbound(SubscriptionState state, SubscriptionType type);
[[nodiscard]] Transition inbound(SubscriptionState state, SubscriptionType type);

} // namespace starling::xmpp::im
