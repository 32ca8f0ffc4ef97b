#include <chrono>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sip/auth/nonce_issuer.h"
#include "sip/identifiers.h"
#include "sip/parser.h"
#include "sip/recent_answers.h"

namespace starling::sip {
namespace {

using namespace std::chrono_literals;

constexpr auto kSpan = 32s;
const core::Clock::TimePoint kStart{1000h};
const std::string kNonce(48, 'n');
constexpr std::string_view kTag = "0123456789abcdef";

// Keys as key_of() makes them; their values do not matter here.
constexpr RecentAnswers::Key kKey = 0x5eed;
RecentAnswers::Key nth_key(std::size_t n) {
  return kKey + n;
}

std::string tag_of(std::size_t n) {
  std::string tag = std::to_string(n);
  return tag.insert(0, kTag.size() - tag.size(), '0');
}

TEST(RecentAnswers, FindsTheAnswerToTheSameRequestWithinTheSpan) {
  RecentAnswers recent(kSpan);
  recent.remember_challenge(kKey, kNonce, kTag, kStart);
  const auto found = recent.challenge_for(kKey, kStart + kSpan);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->nonce, kNonce);
  EXPECT_EQ(found->tag, kTag);
}

TEST(RecentAnswers, AnotherRequestOrALateRetransmissionFindsNothing) {
  RecentAnswers recent(kSpan);
  recent.remember_acceptance(kKey, kTag, kStart);
  EXPECT_FALSE(recent.acceptance_for(nth_key(1), kStart));
  EXPECT_FALSE(recent.acceptance_for(kKey, kStart + kSpan + 1ms));
}

TEST(RecentAnswers, ABucketKeepsItsWaysAndThenReplacesTheOldestAnswer) {
  RecentAnswers recent(kSpan, 1, 1); // one bucket a kind: every key shares it
  for (std::size_t n = 0; n < kRecentAnswerWays; ++n) {
    recent.remember_acceptance(nth_key(n), tag_of(n), kStart + std::chrono::seconds(n));
  }
  const auto now = kStart + std::chrono::seconds(kRecentAnswerWays);
  for (std::size_t n = 0; n < kRecentAnswerWays; ++n) {
    EXPECT_EQ(recent.acceptance_for(nth_key(n), now)->tag, tag_of(n)) << n;
  }
  recent.remember_acceptance(nth_key(kRecentAnswerWays), tag_of(kRecentAnswerWays), now);
  EXPECT_FALSE(recent.acceptance_for(nth_key(0), now));
  for (std::size_t n = 1; n <= kRecentAnswerWays; ++n) {
    EXPECT_EQ(recent.acceptance_for(nth_key(n), now)->tag, tag_of(n)) << n;
  }
}

TEST(RecentAnswers, AnAnswerRememberedAgainKeepsItsSlot) {
  RecentAnswers recent(kSpan, 1, 1);
  for (std::size_t n = 0; n < kRecentAnswerWays; ++n) {
    recent.remember_challenge(nth_key(n), kNonce, tag_of(n), kStart);
  }
  recent.remember_challenge(kKey, std::string(48, 'm'), "fedcba9876543210", kStart + 1s);
  for (std::size_t n = 1; n < kRecentAnswerWays; ++n) {
    EXPECT_TRUE(recent.challenge_for(nth_key(n), kStart + 1s)) << n;
  }
  const auto found = recent.challenge_for(kKey, kStart + 1s);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->nonce, std::string(48, 'm'));
  EXPECT_EQ(found->tag, "fedcba9876543210");
}

TEST(RecentAnswers, ChallengesAndAcceptancesKeepTheirOwnSlots) {
  RecentAnswers recent(kSpan, 1, 1);
  const auto challenged = nth_key(1);
  const auto accepted = nth_key(2);
  recent.remember_challenge(challenged, kNonce, kTag, kStart);
  recent.remember_acceptance(accepted, "fedcba9876543210", kStart);
  EXPECT_TRUE(recent.challenge_for(challenged, kStart));
  EXPECT_FALSE(recent.acceptance_for(challenged, kStart));
  const auto found = recent.acceptance_for(accepted, kStart);
  ASSERT_TRUE(found);
  EXPECT_FALSE(recent.challenge_for(accepted, kStart));
  EXPECT_EQ(found->tag, "fedcba9876543210");
}

TEST(RecentAnswers, AnAcceptanceIsPendingUntilItsAnswerIsSentOrForgotten) {
  RecentAnswers recent(kSpan);
  recent.remember_pending_acceptance(kKey, kStart);
  const auto pending = recent.acceptance_for(kKey, kStart);
  ASSERT_TRUE(pending);
  EXPECT_FALSE(pending->answered());

  recent.remember_acceptance(kKey, kTag, kStart + 1s);
  const auto answered = recent.acceptance_for(kKey, kStart + 1s);
  ASSERT_TRUE(answered);
  EXPECT_TRUE(answered->answered());
  EXPECT_EQ(answered->tag, kTag);

  recent.remember_pending_acceptance(nth_key(1), kStart);
  recent.forget_acceptance(nth_key(1));
  EXPECT_FALSE(recent.acceptance_for(nth_key(1), kStart));
  EXPECT_TRUE(recent.acceptance_for(kKey, kStart + 1s));
}

TEST(RecentAnswers, OurNoncesAndTagsFitASlot) {
  static_assert(NonceIssuer::kEncodedLength <= RecentAnswers::kMaxNonce);
  EXPECT_LE(new_tag().size(), RecentAnswers::kMaxTag);
}

TEST(RecentAnswers, AnAnswerTooLongForASlotIsNotKept) {
  RecentAnswers recent(kSpan);
  recent.remember_challenge(kKey, std::string(49, 'n'), kTag, kStart);
  EXPECT_FALSE(recent.challenge_for(kKey, kStart));
  recent.remember_acceptance(kKey, std::string(17, 't'), kStart);
  EXPECT_FALSE(recent.acceptance_for(kKey, kStart));
}

// A REGISTER of alice's with the given parts, and what RecentAnswers keys it by.
struct RegisterParts {
  std::string branch = "z9hG4bKb1";
  std::string from_tag = "f1";
  std::string to = "sip:alice@pbx.test";
  std::string call_id = "c1";
  int cseq = 2;
  std::string nc = "00000001";
};

RecentAnswers::Key key_of(const RegisterParts& parts) {
  const std::string text = fmt::format(
      "REGISTER sip:pbx.test SIP/2.0\r\nVia: SIP/2.0/UDP h;branch={}\r\n"
      "From: <sip:alice@pbx.test>;tag={}\r\nTo: <{}>\r\nCall-ID: {}\r\nCSeq: {} REGISTER\r\n"
      "Authorization: Digest username=\"alice\", nc={}\r\nContent-Length: 0\r\n\r\n",
      parts.branch, parts.from_tag, parts.to, parts.call_id, parts.cseq, parts.nc);
  const auto message = parse_message(text);
  EXPECT_TRUE(message);
  const auto request = validate_request(*message);
  EXPECT_TRUE(request);
  std::string transaction_key = "transaction of " + parts.branch;
  return RecentAnswers::key_of(*request, transaction_key);
}

TEST(RecentAnswers, ACopyWithNewCredentialsHasItsRequestsKey) {
  EXPECT_EQ(key_of({}), key_of({.nc = "00000002"}));
}

TEST(RecentAnswers, AnotherRequestOrAddressOfRecordHasAnotherKey) {
  const auto key = key_of({});
  EXPECT_NE(key, key_of({.branch = "z9hG4bKb2"}));
  EXPECT_NE(key, key_of({.from_tag = "f2"}));
  EXPECT_NE(key, key_of({.to = "sip:bob@pbx.test"}));
  EXPECT_NE(key, key_of({.call_id = "c2"}));
  EXPECT_NE(key, key_of({.cseq = 3}));
}

} // namespace
} // namespace starling::sip
