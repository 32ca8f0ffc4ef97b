#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "sip/auth/nonce_issuer.h"
#include "sip/identifiers.h"
#include "sip/recent_answers.h"

namespace starling::sip {
namespace {

using namespace std::chrono_literals;
using Kind = RecentAnswers::Kind;

constexpr auto kSpan = 32s;
const core::Clock::TimePoint kStart{1000h};
const std::string kNonce(48, 'n');
constexpr std::string_view kTag = "0123456789abcdef";

TEST(RecentAnswers, FindsTheAnswerToTheSameTransactionWithinTheSpan) {
  RecentAnswers recent(kSpan);
  const auto key = RecentAnswers::key_of("z9hG4bKone|host:5060|REGISTER");
  recent.remember(key, Kind::challenged, kNonce, kTag, kStart);
  const auto found = recent.find(key, kStart + kSpan);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->kind, Kind::challenged);
  EXPECT_EQ(found->nonce, kNonce);
  EXPECT_EQ(found->tag, kTag);
}

TEST(RecentAnswers, AnotherTransactionOrALateRetransmissionFindsNothing) {
  RecentAnswers recent(kSpan);
  const auto key = RecentAnswers::key_of("z9hG4bKone|host:5060|REGISTER");
  recent.remember(key, Kind::accepted, "", kTag, kStart);
  EXPECT_FALSE(recent.find(RecentAnswers::key_of("z9hG4bKtwo|host:5060|REGISTER"), kStart));
  EXPECT_FALSE(recent.find(key, kStart + kSpan + 1ms));
}

TEST(RecentAnswers, ALaterAnswerInTheSameSlotReplacesTheEarlierOne) {
  RecentAnswers recent(kSpan, 1, 1); // one slot a kind: every key shares it
  const auto first = RecentAnswers::key_of("first");
  const auto second = RecentAnswers::key_of("second");
  recent.remember(first, Kind::challenged, kNonce, kTag, kStart);
  recent.remember(second, Kind::challenged, std::string(48, 'm'), "fedcba9876543210", kStart + 1s);
  EXPECT_FALSE(recent.find(first, kStart + 1s));
  const auto found = recent.find(second, kStart + 1s);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->nonce, std::string(48, 'm'));
  EXPECT_EQ(found->tag, "fedcba9876543210");
}

TEST(RecentAnswers, ChallengesAndAcceptancesKeepTheirOwnSlots) {
  RecentAnswers recent(kSpan, 1, 1);
  const auto challenged = RecentAnswers::key_of("challenged");
  const auto accepted = RecentAnswers::key_of("accepted");
  recent.remember(challenged, Kind::challenged, kNonce, kTag, kStart);
  recent.remember(accepted, Kind::accepted, "", "fedcba9876543210", kStart);
  ASSERT_TRUE(recent.find(challenged, kStart));
  EXPECT_EQ(recent.find(challenged, kStart)->kind, Kind::challenged);
  const auto found = recent.find(accepted, kStart);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->kind, Kind::accepted);
  EXPECT_EQ(found->nonce, "");
  EXPECT_EQ(found->tag, "fedcba9876543210");
}

TEST(RecentAnswers, ALaterAnswerOfTheOtherKindReplacesTheEarlierOne) {
  RecentAnswers recent(kSpan);
  const auto key = RecentAnswers::key_of("key");
  recent.remember(key, Kind::accepted, "", kTag, kStart);
  recent.remember(key, Kind::challenged, kNonce, kTag, kStart + 1s);
  const auto found = recent.find(key, kStart + 1s);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->kind, Kind::challenged);
}

TEST(RecentAnswers, OurNoncesAndTagsFitASlot) {
  static_assert(NonceIssuer::kEncodedLength <= RecentAnswers::kMaxNonce);
  EXPECT_LE(new_tag().size(), RecentAnswers::kMaxTag);
}

TEST(RecentAnswers, AnAnswerTooLongForASlotIsNotKept) {
  RecentAnswers recent(kSpan);
  const auto key = RecentAnswers::key_of("key");
  recent.remember(key, Kind::challenged, std::string(49, 'n'), kTag, kStart);
  EXPECT_FALSE(recent.find(key, kStart));
  recent.remember(key, Kind::accepted, "", std::string(17, 't'), kStart);
  EXPECT_FALSE(recent.find(key, kStart));
}

} // namespace
} // namespace starling::sip
