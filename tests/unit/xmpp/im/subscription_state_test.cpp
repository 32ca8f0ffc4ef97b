// RFC 6121 Appendix A: every state × every subscription stanza, outbound and inbound.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "xmpp/im/subscription_state.h"

namespace starling::xmpp::im {
namespace {

using enum SubscriptionType;

// The appendix's names for the nine states.
const SubscriptionState kNone{};
const SubscriptionState kNonePendingOut{.pending_out = true};
const SubscriptionState kNonePendingIn{.pending_in = true};
const SubscriptionState kNonePendingOutIn{.pending_out = true, .pending_in = true};
const SubscriptionState kTo{.subscription = Subscription::to};
const SubscriptionState kToPendingIn{.subscription = Subscription::to, .pending_in = true};
const SubscriptionState kFrom{.subscription = Subscription::from};
const SubscriptionState kFromPendingOut{.subscription = Subscription::from, .pending_out = true};
const SubscriptionState kBoth{.subscription = Subscription::both};

struct Row {
  SubscriptionState before;
  SubscriptionState after;
  bool pass_on;
};

std::string describe(const SubscriptionState& s) {
  return std::string(to_string(s.subscription)) + (s.pending_out ? "+out" : "") +
         (s.pending_in ? "+in" : "");
}

void expect_table(Transition (*direction)(SubscriptionState, SubscriptionType),
                  SubscriptionType type, const std::vector<Row>& rows) {
  ASSERT_EQ(rows.size(), 9U);
  for (const auto& row : rows) {
    const auto t = direction(row.before, type);
    EXPECT_EQ(t.state, row.after) << describe(row.before) << " became " << describe(t.state);
    EXPECT_EQ(t.pass_on, row.pass_on) << describe(row.before);
  }
}

TEST(OutboundSubscription, SubscribeAsksUnlessAlreadySubscribedA21) {
  expect_table(outbound, subscribe,
               {{kNone, kNonePendingOut, true},
                {kNonePendingOut, kNonePendingOut, true},
                {kNonePendingIn, kNonePendingOutIn, true},
                {kNonePendingOutIn, kNonePendingOutIn, true},
                {kTo, kTo, true},
                {kToPendingIn, kToPendingIn, true},
                {kFrom, kFromPendingOut, true},
                {kFromPendingOut, kFromPendingOut, true},
                {kBoth, kBoth, true}});
}

TEST(OutboundSubscription, SubscribedApprovesOnlyAPendingRequestA22) {
  expect_table(outbound, subscribed,
               {{kNone, kNone, false},
                {kNonePendingOut, kNonePendingOut, false},
                {kNonePendingIn, kFrom, true},
                {kNonePendingOutIn, kFromPendingOut, true},
                {kTo, kTo, false},
                {kToPendingIn, kBoth, true},
                {kFrom, kFrom, false},
                {kFromPendingOut, kFromPendingOut, false},
                {kBoth, kBoth, false}});
}

TEST(OutboundSubscription, UnsubscribeCancelsTheUsersSideA23) {
  expect_table(outbound, unsubscribe,
               {{kNone, kNone, true},
                {kNonePendingOut, kNone, true},
                {kNonePendingIn, kNonePendingIn, true},
                {kNonePendingOutIn, kNonePendingIn, true},
                {kTo, kNone, true},
                {kToPendingIn, kNonePendingIn, true},
                {kFrom, kFrom, true},
                {kFromPendingOut, kFrom, true},
                {kBoth, kFrom, true}});
}

TEST(OutboundSubscription, UnsubscribedCancelsOrDeniesTheContactsSideA24) {
  expect_table(outbound, unsubscribed,
               {{kNone, kNone, false},
                {kNonePendingOut, kNonePendingOut, false},
                {kNonePendingIn, kNone, true},
                {kNonePendingOutIn, kNonePendingOut, true},
                {kTo, kTo, false},
                {kToPendingIn, kTo, true},
                {kFrom, kNone, true},
                {kFromPendingOut, kNonePendingOut, true},
                {kBoth, kTo, true}});
}

TEST(InboundSubscription, SubscribeWaitsForTheUserOrIsAnsweredByTheServerA31) {
  expect_table(inbound, subscribe,
               {{kNone, kNonePendingIn, true},
                {kNonePendingOut, kNonePendingOutIn, true},
                {kNonePendingIn, kNonePendingIn, false},
                {kNonePendingOutIn, kNonePendingOutIn, false},
                {kTo, kToPendingIn, true},
                {kToPendingIn, kToPendingIn, false},
                {kFrom, kFrom, false},
                {kFromPendingOut, kFromPendingOut, false},
                {kBoth, kBoth, false}});
  for (const auto& subscribed : {kFrom, kFromPendingOut, kBoth}) {
    EXPECT_TRUE(inbound(subscribed, subscribe).auto_reply_subscribed) << describe(subscribed);
  }
  EXPECT_FALSE(inbound(kNone, subscribe).auto_reply_subscribed);
}

TEST(InboundSubscription, SubscribedCountsOnlyAsAnAnswerA32) {
  expect_table(inbound, subscribed,
               {{kNone, kNone, false},
                {kNonePendingOut, kTo, true},
                {kNonePendingIn, kNonePendingIn, false},
                {kNonePendingOutIn, kToPendingIn, true},
                {kTo, kTo, false},
                {kToPendingIn, kToPendingIn, false},
                {kFrom, kFrom, false},
                {kFromPendingOut, kBoth, true},
                {kBoth, kBoth, false}});
}

TEST(InboundSubscription, UnsubscribeEndsTheContactsSideA33) {
  expect_table(inbound, unsubscribe,
               {{kNone, kNone, false},
                {kNonePendingOut, kNonePendingOut, false},
                {kNonePendingIn, kNone, true},
                {kNonePendingOutIn, kNonePendingOut, true},
                {kTo, kTo, false},
                {kToPendingIn, kTo, true},
                {kFrom, kNone, true},
                {kFromPendingOut, kNonePendingOut, true},
                {kBoth, kTo, true}});
}

TEST(InboundSubscription, UnsubscribedEndsTheUsersSideA34) {
  expect_table(inbound, unsubscribed,
               {{kNone, kNone, false},
                {kNonePendingOut, kNone, true},
                {kNonePendingIn, kNonePendingIn, false},
                {kNonePendingOutIn, kNonePendingIn, true},
                {kTo, kNone, true},
                {kToPendingIn, kNonePendingIn, true},
                {kFrom, kFrom, false},
                {kFromPendingOut, kFrom, true},
                {kBoth, kFrom, true}});
}

TEST(SubscriptionType, ParsesTheFourTypesOnly) {
  EXPECT_EQ(parse_subscription_type("subscribed"), subscribed);
  EXPECT_EQ(parse_subscription_type("unsubscribe"), unsubscribe);
  EXPECT_FALSE(parse_subscription_type("probe"));
  EXPECT_FALSE(parse_subscription_type(""));
}

} // namespace
} // namespace starling::xmpp::im
