// Tests of Digest credentials and challenge parsing (RFC 7616, RFC 8760).
#include <gtest/gtest.h>

#include "sip/digest.h"
#include "sip/name_addr.h"

namespace starling::sip {
namespace {

constexpr std::string_view kCredentials =
    R"(Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", )"
    R"(uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", )"
    R"(response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41")";

TEST(DigestCredentialsParser, ReadsEveryParameter) {
  const auto c = parse_digest_credentials(kCredentials);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "bob");
  EXPECT_EQ(c->realm, "biloxi.com");
  EXPECT_EQ(c->nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
  EXPECT_EQ(c->uri, "sip:bob@biloxi.com");
  EXPECT_EQ(c->qop, "auth");
  EXPECT_EQ(c->nc, "00000001");
  EXPECT_EQ(c->cnonce, "0a4f113b");
  EXPECT_EQ(c->response, "6629fae49393a05397450978507c4ef1");
  EXPECT_EQ(c->opaque, "5ccc069c403ebaf9f0171e9517f40e41");
  EXPECT_EQ(c->algorithm, DigestAlgorithm::md5);
}

TEST(DigestCredentialsParser, AcceptsSha256WithSixtyFourHexDigits) {
  const auto c = parse_digest_credentials(
      R"(Digest username="a", realm="r", nonce="n", uri="sip:r", algorithm=SHA-256-sess, )"
      R"(response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", userhash=true)");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->algorithm, DigestAlgorithm::sha256_sess);
  EXPECT_TRUE(is_session_algorithm(c->algorithm));
  EXPECT_TRUE(c->userhash);
}

TEST(DigestCredentialsParser, AcceptsQuotedAlgorithmAndQopFromLenientPhones) {
  const auto c = parse_digest_credentials(
      R"(Digest username="a",realm="r",nonce="n",uri="sip:r",algorithm="MD5",qop="auth",)"
      R"(nc=00000002,cnonce="c",response="6629fae49393a05397450978507c4ef1")");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->qop, "auth");
}

TEST(DigestCredentialsParser, KeepsEscapesInQuotedUsername) {
  const auto c = parse_digest_credentials(
      R"(Digest username="a\"b", realm="r", nonce="n", uri="sip:r", response="6629fae49393a05397450978507c4ef1")");
  ASSERT_TRUE(c);
  EXPECT_EQ(unquote(c->username), "a\"b");
}

TEST(DigestCredentialsParser, RejectsMissingResponse) {
  EXPECT_FALSE(parse_digest_credentials(R"(Digest username="a", realm="r", nonce="n", uri="x")"));
}

TEST(DigestCredentialsParser, RejectsResponseOfTheWrongLength) {
  EXPECT_FALSE(parse_digest_credentials(
      R"(Digest username="a", realm="r", nonce="n", uri="x", algorithm=SHA-256, response="6629fae49393a05397450978507c4ef1")"));
}

TEST(DigestCredentialsParser, RejectsDuplicateParameters) {
  EXPECT_FALSE(parse_digest_credentials(std::string{kCredentials} + R"(, username="eve")"));
}

TEST(DigestCredentialsParser, RejectsQopWithoutNonceCount) {
  EXPECT_FALSE(parse_digest_credentials(
      R"(Digest username="a", realm="r", nonce="n", uri="x", qop=auth, cnonce="c", response="6629fae49393a05397450978507c4ef1")"));
}

TEST(DigestCredentialsParser, RejectsOtherSchemes) {
  EXPECT_EQ(auth_scheme("Basic dXNlcjpwYXNz"), "Basic");
  EXPECT_FALSE(parse_digest_credentials("Basic dXNlcjpwYXNz"));
}

TEST(DigestCredentialsParser, RejectsUnterminatedQuotedString) {
  EXPECT_FALSE(parse_digest_credentials(R"(Digest username="a, realm="r")"));
}

TEST(DigestChallengeParser, ReadsQopOptionsStaleAndAlgorithm) {
  const auto c = parse_digest_challenge(
      R"(Digest realm="atlanta.com", domain="sip:ss1.carrier.com", qop="auth,auth-int", )"
      R"(nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=TRUE, algorithm=SHA-256)");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->realm, "atlanta.com");
  EXPECT_EQ(c->nonce, "f84f1cec41e6cbe5aea9c8e88d359");
  EXPECT_TRUE(c->opaque.empty());
  EXPECT_TRUE(c->stale);
  EXPECT_EQ(c->algorithm, DigestAlgorithm::sha256);
  EXPECT_TRUE(c->offers_qop("auth"));
  EXPECT_TRUE(c->offers_qop("auth-int"));
  EXPECT_FALSE(c->offers_qop("auth-conf"));
}

TEST(DigestChallengeParser, RejectsMissingNonce) {
  EXPECT_FALSE(parse_digest_challenge(R"(Digest realm="r")"));
}

TEST(DigestAlgorithmNames, MapAllRfc8760Names) {
  EXPECT_EQ(digest_algorithm_from_name("md5-sess"), DigestAlgorithm::md5_sess);
  EXPECT_EQ(digest_algorithm_from_name("SHA-512-256"), DigestAlgorithm::sha512_256);
  EXPECT_EQ(digest_algorithm_from_name("SHA-1"), DigestAlgorithm::unknown);
  EXPECT_EQ(digest_hex_length(DigestAlgorithm::sha512_256_sess), 64U);
}

} // namespace
} // namespace starling::sip
