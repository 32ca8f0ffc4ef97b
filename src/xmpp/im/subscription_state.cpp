// RFC 6121 Appendix A's tables, written as what each stanza does to the two directions of a
// subscription ("to": the user sees the contact, "from": the contact sees the user).
#include "xmpp/im/subscription_state.h"

namespace starling::xmpp::im {

namespace {

bool has_to(Subscription s) {
  return s == Subscription::to || s == Subscription::both;
}

bool has_from(Subscription s) {
  return s == Subscription::from || s == Subscription::both;
}

Subscription combine(bool to, bool from) {
  if (to) {
    return from ? Subscription::both : Subscription::to;
  }
  return from ? Subscription::from : Subscription::none;
}

SubscriptionState with_to(SubscriptionState state, bool to) {
  state.subscription = combine(to, has_from(state.subscription));
  state.pending_out = false;
  return state;
}

SubscriptionState with_from(SubscriptionState state, bool from) {
  state.subscription = combine(has_to(state.subscription), from);
  state.pending_in = false;
  return state;
}

} // namespace

std::optional<SubscriptionType> parse_subscription_type(std::string_view type) {
  if (type == "subscribe") {
    return SubscriptionType::subscribe;
  }
  if (type == "subscribed") {
    return SubscriptionType::subscribed;
  }
  if (type == "unsubscribe") {
    return SubscriptionType::unsubscribe;
  }
  if (type == "unsubscribed") {
    return SubscriptionType::unsubscribed;
  }
  return std::nullopt;
}

Transition outbound(SubscriptionState state, SubscriptionType type) {
  const bool to = has_to(state.subscription);
  const bool from = has_from(state.subscription);
  switch (type) {
  case SubscriptionType::subscribe: // A.2.1: Pending Out unless already "to"; always routed
    state.pending_out = !to;
    return {.state = state, .pass_on = true};
  case SubscriptionType::subscribed: // A.2.2: approves a pending request, else ignored
    if (!state.pending_in) {
      return {.state = state};
    }
    return {.state = with_from(state, true), .pass_on = true};
  case SubscriptionType::unsubscribe: // A.2.3: cancels "to" and Pending Out; always routed
    return {.state = with_to(state, false), .pass_on = true};
  case SubscriptionType::unsubscribed: // A.2.4: cancels "from" or denies Pending In
    if (!from && !state.pending_in) {
      return {.state = state};
    }
    return {.state = with_from(state, false), .pass_on = true};
  }
  return {.state = state};
}

Transition inbound(SubscriptionState state, SubscriptionType type) {
  const bool to = has_to(state.subscription);
  const bool from = has_from(state.subscription);
  switch (type) {
  case SubscriptionType::subscribe: // A.3.1
    if (from) {
      return {.state = state, .auto_reply_subscribed = true};
    }
    if (state.pending_in) {
      return {.state = state}; // already waiting for the user's answer
    }
    state.pending_in = true;
    return {.state = state, .pass_on = true};
  case SubscriptionType::subscribed: // A.3.2: only an answer to the user's own request counts
    if (!state.pending_out) {
      return {.state = state};
    }
    return {.state = with_to(state, true), .pass_on = true};
  case SubscriptionType::unsubscribe: // A.3.3
    if (!from && !state.pending_in) {
      return {.state = state};
    }
    return {.state = with_from(state, false), .pass_on = true};
  case SubscriptionType::unsubscribed: // A.3.4
    if (!to && !state.pending_out) {
      return {.state = state};
    }
    return {.state = with_to(state, false), .pass_on = true};
  }
  return {.state = state};
}

} // namespace starling::xmpp::im
