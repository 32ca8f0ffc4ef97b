// Tests of the WWW-Authenticate / Proxy-Authenticate values Starling sends.
#include <gtest/gtest.h>

#include "sip/auth/challenge_builder.h"
#include "sip/digest.h"

namespace starling::sip {
namespace {

TEST(ChallengeBuilder, OffersSha256FirstThenMd5WithQopAuth) {
  const auto values = build_digest_challenges(
      {.realm = "pbx.example.com", .nonce = "abc", .opaque = "", .stale = false});
  ASSERT_EQ(values.size(), 2U);
  EXPECT_EQ(values[0],
            R"(Digest realm="pbx.example.com", nonce="abc", algorithm=SHA-256, qop="auth")");
  EXPECT_EQ(values[1], R"(Digest realm="pbx.example.com", nonce="abc", algorithm=MD5, qop="auth")");
}

TEST(ChallengeBuilder, ValuesParseBackWithTheirParameters) {
  const auto values = build_digest_challenges(
      {.realm = "pbx.example.com", .nonce = "n-1_x", .opaque = "op", .stale = true});
  for (const auto& value : values) {
    const auto c = parse_digest_challenge(value);
    ASSERT_TRUE(c) << value;
    EXPECT_EQ(c->realm, "pbx.example.com");
    EXPECT_EQ(c->nonce, "n-1_x");
    EXPECT_EQ(c->opaque, "op");
    EXPECT_TRUE(c->stale);
    EXPECT_TRUE(c->offers_qop("auth"));
  }
  EXPECT_EQ(parse_digest_challenge(values[0])->algorithm, DigestAlgorithm::sha256);
  EXPECT_EQ(parse_digest_challenge(values[1])->algorithm, DigestAlgorithm::md5);
}

TEST(ChallengeBuilder, LeavesOutStaleAndOpaqueWhenNotWanted) {
  const auto values =
      build_digest_challenges({.realm = "r", .nonce = "n", .opaque = "", .stale = false});
  for (const auto& value : values) {
    EXPECT_EQ(value.find("stale"), std::string::npos);
    EXPECT_EQ(value.find("opaque"), std::string::npos);
  }
}

TEST(ChallengeBuilder, EscapesQuotesAndBackslashesInTheRealm) {
  const auto values =
      build_digest_challenges({.realm = R"(a"b\c)", .nonce = "n", .opaque = "", .stale = false});
  EXPECT_EQ(values[1], R"(Digest realm="a\"b\\c", nonce="n", algorithm=MD5, qop="auth")");
}

TEST(ChallengeBuilder, NamesTheHeaderAndStatusOfEachRole) {
  EXPECT_EQ(challenge_header_name(ChallengeRole::user_agent), "WWW-Authenticate");
  EXPECT_EQ(challenge_status_code(ChallengeRole::user_agent), 401);
  EXPECT_EQ(challenge_header_name(ChallengeRole::proxy), "Proxy-Authenticate");
  EXPECT_EQ(challenge_status_code(ChallengeRole::proxy), 407);
}

} // namespace
} // namespace starling::sip
