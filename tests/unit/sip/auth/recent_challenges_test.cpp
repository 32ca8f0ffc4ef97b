#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "sip/auth/recent_challenges.h"

namespace starling::sip {
namespace {

using namespace std::chrono_literals;

constexpr auto kSpan = 32s;
const core::Clock::TimePoint kStart{1000h};
const RecentChallenges::Challenge kChallenge{std::string(48, 'n'), "0123456789abcdef"};

TEST(RecentChallenges, FindsTheChallengeOfTheSameRequestWithinTheSpan) {
  RecentChallenges recent(kSpan);
  recent.remember("z9hG4bKone|host:5060|REGISTER", kChallenge, kStart);
  const auto found = recent.find("z9hG4bKone|host:5060|REGISTER", kStart + kSpan);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->nonce, kChallenge.nonce);
  EXPECT_EQ(found->tag, kChallenge.tag);
}

TEST(RecentChallenges, AnotherRequestOrALateRetransmissionFindsNothing) {
  RecentChallenges recent(kSpan);
  recent.remember("z9hG4bKone|host:5060|REGISTER", kChallenge, kStart);
  EXPECT_FALSE(recent.find("z9hG4bKtwo|host:5060|REGISTER", kStart));
  EXPECT_FALSE(recent.find("z9hG4bKone|host:5060|REGISTER", kStart + kSpan + 1ms));
}

TEST(RecentChallenges, ALaterChallengeInTheSameSlotReplacesTheEarlierOne) {
  RecentChallenges recent(kSpan, 1); // one slot: every key shares it
  const RecentChallenges::Challenge later{std::string(48, 'm'), "fedcba9876543210"};
  recent.remember("first", kChallenge, kStart);
  recent.remember("second", later, kStart + 1s);
  EXPECT_FALSE(recent.find("first", kStart + 1s));
  const auto found = recent.find("second", kStart + 1s);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->nonce, later.nonce);
}

TEST(RecentChallenges, AChallengeTooLongForASlotIsNotKept) {
  RecentChallenges recent(kSpan);
  const RecentChallenges::Challenge long_nonce{std::string(49, 'n'), "tag"};
  recent.remember("key", long_nonce, kStart);
  EXPECT_FALSE(recent.find("key", kStart));
}

} // namespace
} // namespace starling::sip
