#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "sip/auth/nonce_issuer.h"
#include "sip/identifiers.h"
#include "sip/recent_answers.h"

namespace starling::sip {
namespace {

using namespace std::chrono_literals;

constexpr auto kSpan = 32s;
const core::Clock::TimePoint kStart{1000h};
const std::string kNonce(48, 'n');
constexpr std::string_view kTag = "0123456789abcdef";

TEST(RecentAnswers, FindsTheAnswerToTheSameTransactionWithinTheSpan) {
  RecentAnswers recent(kSpan);
  const auto key = RecentAnswers::key_of("z9hG4bKone|host:5060|REGISTER");
  recent.remember_challenge(key, kNonce, kTag, kStart);
  const auto found = recent.challenge_for(key, kStart + kSpan);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->nonce, kNonce);
  EXPECT_EQ(found->tag, kTag);
}

TEST(RecentAnswers, AnotherTransactionOrALateRetransmissionFindsNothing) {
  RecentAnswers recent(kSpan);
  const auto key = RecentAnswers::key_of("z9hG4bKone|host:5060|REGISTER");
  recent.remember_acceptance(key, kTag, kStart);
  EXPECT_FALSE(
      recent.acceptance_for(RecentAnswers::key_of("z9hG4bKtwo|host:5060|REGISTER"), kStart));
  EXPECT_FALSE(recent.acceptance_for(key, kStart + kSpan + 1ms));
}

TEST(RecentAnswers, ALaterAnswerInTheSameSlotReplacesTheEarlierOne) {
  RecentAnswers recent(kSpan, 1, 1); // one slot a kind: every key shares it
  const auto first = RecentAnswers::key_of("first");
  const auto second = RecentAnswers::key_of("second");
  recent.remember_challenge(first, kNonce, kTag, kStart);
  recent.remember_challenge(second, std::string(48, 'm'), "fedcba9876543210", kStart + 1s);
  EXPECT_FALSE(recent.challenge_for(first, kStart + 1s));
  const auto found = recent.challenge_for(second, kStart + 1s);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->nonce, std::string(48, 'm'));
  EXPECT_EQ(found->tag, "fedcba9876543210");
}

TEST(RecentAnswers, ChallengesAndAcceptancesKeepTheirOwnSlots) {
  RecentAnswers recent(kSpan, 1, 1);
  const auto challenged = RecentAnswers::key_of("challenged");
  const auto accepted = RecentAnswers::key_of("accepted");
  recent.remember_challenge(challenged, kNonce, kTag, kStart);
  recent.remember_acceptance(accepted, "fedcba9876543210", kStart);
  EXPECT_TRUE(recent.challenge_for(challenged, kStart));
  EXPECT_FALSE(recent.acceptance_for(challenged, kStart));
  const auto found = recent.acceptance_for(accepted, kStart);
  ASSERT_TRUE(found);
  EXPECT_FALSE(recent.challenge_for(accepted, kStart));
  EXPECT_EQ(*found, "fedcba9876543210");
}

TEST(RecentAnswers, ALaterAnswerOfTheOtherKindReplacesTheEarlierOne) {
  RecentAnswers recent(kSpan);
  const auto key = RecentAnswers::key_of("key");
  recent.remember_acceptance(key, kTag, kStart);
  recent.remember_challenge(key, kNonce, kTag, kStart + 1s);
  EXPECT_FALSE(recent.acceptance_for(key, kStart + 1s));
  EXPECT_TRUE(recent.challenge_for(key, kStart + 1s));
}

TEST(RecentAnswers, OurNoncesAndTagsFitASlot) {
  static_assert(NonceIssuer::kEncodedLength <= RecentAnswers::kMaxNonce);
  EXPECT_LE(new_tag().size(), RecentAnswers::kMaxTag);
}

TEST(RecentAnswers, AnAnswerTooLongForASlotIsNotKept) {
  RecentAnswers recent(kSpan);
  const auto key = RecentAnswers::key_of("key");
  recent.remember_challenge(key, std::string(49, 'n'), kTag, kStart);
  EXPECT_FALSE(recent.challenge_for(key, kStart));
  recent.remember_acceptance(key, std::string(17, 't'), kStart);
  EXPECT_FALSE(recent.acceptance_for(key, kStart));
}

} // namespace
} // namespace starling::sip
