// Tests of the client side of Digest: RFC 7616's example, the choice among several challenges,
// the nonce count, and a round trip through Starling's own verifier.
#include <array>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/clock.h"
#include "sip/auth/digest_authenticator.h"
#include "sip/auth/digest_client.h"
#include "sip/auth/digest_hash.h"
#include "sip/name_addr.h"
#include "sip/parser.h"

namespace starling::sip {
namespace {

// RFC 7616 §3.9.1: Mufasa / "Circle of Life" at http-auth@example.org, answering a GET.
constexpr std::string_view kRfcUsername = "Mufasa";
constexpr std::string_view kRfcPassword = "Circle of Life";
constexpr std::string_view kRfcUri = "/dir/index.html";
constexpr std::string_view kRfcCnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
constexpr std::string_view kRfcSha256Challenge =
    R"(Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, )"
    R"(nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", )"
    R"(opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")";
constexpr std::string_view kRfcMd5Challenge =
    R"(Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, )"
    R"(nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", )"
    R"(opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")";

DigestClient rfc_client() {
  return DigestClient{
      {.username = std::string(kRfcUsername), .password = std::string(kRfcPassword), .realm = ""},
      [] { return std::string(kRfcCnonce); }};
}

// The credentials view into `header`, which must outlive them: keep the header in a variable.
DigestCredentials parsed(const AuthorizationHeader& header) {
  auto credentials = parse_digest_credentials(header.value);
  EXPECT_TRUE(credentials.has_value()) << header.value;
  return credentials.value_or(DigestCredentials{});
}

// Counts cnonces, so that each request's can be told apart.
CnonceSource counting_cnonces() {
  return [n = 0]() mutable { return fmt::format("cnonce{}", ++n); };
}

DigestClient client_for(std::string username, std::string password, std::string realm = "") {
  return DigestClient{
      {.username = std::move(username), .password = std::move(password), .realm = std::move(realm)},
      counting_cnonces()};
}

std::expected<DigestChallengeChoice, DigestClientError>
offer(DigestClient& client, std::initializer_list<std::string_view> challenges) {
  const std::vector<std::string_view> values(challenges);
  return client.on_challenge(ChallengeRole::user_agent, values);
}

TEST(DigestClient, AnswersTheRfc7616Md5Example) {
  DigestClient client = rfc_client();
  ASSERT_TRUE(offer(client, {kRfcMd5Challenge}));
  const auto header = client.authorize("GET", kRfcUri);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->name(), "Authorization");
  EXPECT_EQ(header->value,
            R"(Digest username="Mufasa", realm="http-auth@example.org", )"
            R"(nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", uri="/dir/index.html", )"
            R"(response="8ca523f5e9506fed4657c9700eebdbec", algorithm=MD5, )"
            R"(cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", )"
            R"(opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", qop=auth, nc=00000001)");
}

TEST(DigestClient, AnswersTheRfc7616Sha256Example) {
  DigestClient client = rfc_client();
  ASSERT_TRUE(offer(client, {kRfcSha256Challenge}));
  const auto header = client.authorize("GET", kRfcUri);
  ASSERT_TRUE(header);
  const auto credentials = parsed(*header);
  EXPECT_EQ(credentials.response,
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  EXPECT_EQ(credentials.algorithm, DigestAlgorithm::sha256);
  EXPECT_EQ(credentials.opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
}

TEST(DigestClient, PrefersSha256OverMd5WhicheverComesFirst) {
  DigestClient client = rfc_client();
  const auto choice = offer(client, {kRfcMd5Challenge, kRfcSha256Challenge});
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->algorithm, DigestAlgorithm::sha256);
  EXPECT_EQ(parsed(*client.authorize("GET", kRfcUri)).response,
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(DigestClient, SkipsOtherSchemesAndAlgorithmsItCannotAnswer) {
  DigestClient client = client_for("alice", "secret");
  const auto choice =
      offer(client, {R"(Basic realm="x")", R"(Digest realm="x", nonce="n1", algorithm=SHA-512-256)",
                     R"(Digest realm="x", nonce="n2", algorithm=MD5-sess)",
                     R"(Digest realm="x", nonce="n3", algorithm=MD5, qop="auth")"});
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->algorithm, DigestAlgorithm::md5);
  EXPECT_EQ(choice->nonce, "n3");
}

TEST(DigestClient, CountsRequestsPerNonceAndRestartsForANewOne) {
  DigestClient client = client_for("alice", "secret");
  ASSERT_TRUE(offer(client, {R"(Digest realm="x", nonce="n1", qop="auth")"}));
  EXPECT_EQ(parsed(*client.authorize("REGISTER", "sip:x")).nc, "00000001");
  const auto second_header = client.authorize("REGISTER", "sip:x");
  ASSERT_TRUE(second_header);
  const auto second = parsed(*second_header);
  EXPECT_EQ(second.nc, "00000002");
  EXPECT_EQ(second.cnonce, "cnonce2"); // a fresh cnonce per request

  // The same nonce again (the server re-challenged a refresh): the count goes on.
  ASSERT_TRUE(offer(client, {R"(Digest realm="x", nonce="n1", qop="auth")"}));
  EXPECT_EQ(parsed(*client.authorize("REGISTER", "sip:x")).nc, "00000003");

  ASSERT_TRUE(offer(client, {R"(Digest realm="x", nonce="n2", qop="auth")"}));
  EXPECT_EQ(parsed(*client.authorize("REGISTER", "sip:x")).nc, "00000001");
}

TEST(DigestClient, AnswersInTheRfc2069FormWithoutQop) {
  DigestClient client = client_for("alice", "secret");
  ASSERT_TRUE(offer(client, {R"(Digest realm="x", nonce="n1")"}));
  const auto header = client.authorize("INVITE", "sip:bob@x");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->value,
            fmt::format(
                R"(Digest username="alice", realm="x", nonce="n1", uri="sip:bob@x", )"
                R"(response="{}")",
                digest_hash_hex(DigestAlgorithm::md5,
                                digest_ha1(DigestAlgorithm::md5, "alice", "x", "secret") + ":n1:" +
                                    digest_hash_hex(DigestAlgorithm::md5, "INVITE:sip:bob@x"))));
}

TEST(DigestClient, QuotesAndUnquotesValuesWithQuotesAndBackslashes) {
  DigestClient client = client_for(R"(al"ice\)", "secret");
  ASSERT_TRUE(offer(client, {R"(Digest realm="r\"1", nonce="n\\1", opaque="o\"p", qop=auth)"}));
  EXPECT_EQ(client.challenge()->realm, R"(r"1)");
  const auto header = client.authorize("REGISTER", "sip:x");
  ASSERT_TRUE(header);
  const auto credentials = parsed(*header);
  EXPECT_EQ(unquote(credentials.username), R"(al"ice\)");
  EXPECT_EQ(unquote(credentials.realm), R"(r"1)");
  EXPECT_EQ(unquote(credentials.nonce), R"(n\1)");
  EXPECT_EQ(unquote(credentials.opaque), R"(o"p)");
  EXPECT_EQ(credentials.qop, "auth");
}

TEST(DigestClient, RefusesAProviderThatOffersOnlyAuthInt) {
  DigestClient client = client_for("alice", "secret");
  const auto choice = offer(client, {R"(Digest realm="x", nonce="n", qop="auth-int")"});
  ASSERT_FALSE(choice);
  EXPECT_EQ(choice.error().code, DigestClientErrc::unsupported_qop);
  EXPECT_EQ(choice.error().reason, "the provider offered only auth-int");
  EXPECT_FALSE(client.authorize("REGISTER", "sip:x"));
}

TEST(DigestClient, RefusesAResponseWithoutDigestChallenge) {
  DigestClient client = client_for("alice", "secret");
  const auto choice = offer(client, {R"(Basic realm="x")"});
  ASSERT_FALSE(choice);
  EXPECT_EQ(choice.error().code, DigestClientErrc::no_digest_challenge);
  EXPECT_EQ(choice.error().reason, "no Digest challenge");
  EXPECT_EQ(offer(client, {}).error().code, DigestClientErrc::no_digest_challenge);
}

TEST(DigestClient, RefusesOnlyUnsupportedAlgorithms) {
  DigestClient client = client_for("alice", "secret");
  const auto choice = offer(client, {R"(Digest realm="x", nonce="n", algorithm=SHA-512-256)"});
  ASSERT_FALSE(choice);
  EXPECT_EQ(choice.error().code, DigestClientErrc::unsupported_algorithm);
}

TEST(DigestClient, RefusesAMalformedChallenge) {
  DigestClient client = client_for("alice", "secret");
  const auto choice = offer(client, {R"(Digest realm="x")"}); // no nonce
  ASSERT_FALSE(choice);
  EXPECT_EQ(choice.error().code, DigestClientErrc::malformed_challenge);
}

TEST(DigestClient, AnswersOnlyTheConfiguredRealm) {
  DigestClient client = client_for("alice", "secret", "provider.example");
  const auto other = offer(client, {R"(Digest realm="elsewhere", nonce="n", qop="auth")"});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, DigestClientErrc::other_realm);

  const auto choice = offer(client, {R"(Digest realm="elsewhere", nonce="n1", qop="auth")",
                                     R"(Digest realm="provider.example", nonce="n2", qop="auth")"});
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->nonce, "n2");
}

TEST(DigestClient, SendsNothingBeforeAChallenge) {
  DigestClient client = client_for("alice", "secret");
  EXPECT_FALSE(client.authorize("REGISTER", "sip:x"));
  ASSERT_TRUE(offer(client, {R"(Digest realm="x", nonce="n", qop="auth")"}));
  client.reset();
  EXPECT_FALSE(client.authorize("REGISTER", "sip:x"));
}

Message response(std::string_view status_line, std::string_view challenge_headers) {
  const std::string bytes =
      fmt::format("SIP/2.0 {}\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\n"
                  "From: <sip:alice@x>;tag=1\r\nTo: <sip:alice@x>;tag=2\r\nCall-ID: c1\r\n"
                  "CSeq: 1 INVITE\r\n{}Content-Length: 0\r\n\r\n",
                  status_line, challenge_headers);
  auto message = parse_message(bytes);
  EXPECT_TRUE(message.has_value()) << bytes;
  return std::move(*message);
}

TEST(AnswerChallenge, AnswersA407WithProxyAuthorization) {
  DigestClient client = client_for("alice", "secret");
  const Message challenge = response(
      "407 Proxy Authentication Required",
      "Proxy-Authenticate: Digest realm=\"x\", nonce=\"n1\", algorithm=MD5, qop=\"auth\"\r\n"
      "Proxy-Authenticate: Digest realm=\"x\", nonce=\"n1\", algorithm=SHA-256, qop=\"auth\"\r\n");
  const auto header = answer_challenge(client, challenge, "INVITE", "sip:bob@x");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->id, HeaderId::proxy_authorization);
  EXPECT_EQ(parsed(*header).algorithm, DigestAlgorithm::sha256);
}

TEST(AnswerChallenge, AnswersA401WithAuthorization) {
  DigestClient client = client_for("alice", "secret");
  const Message challenge =
      response("401 Unauthorized", "WWW-Authenticate: Digest realm=\"x\", nonce=\"n1\"\r\n");
  const auto header = answer_challenge(client, challenge, "REGISTER", "sip:x");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->id, HeaderId::authorization);
  // The 401's challenge is in WWW-Authenticate; a Proxy-Authenticate there is not for us.
  const Message mixed =
      response("401 Unauthorized", "Proxy-Authenticate: Digest realm=\"x\", nonce=\"n1\"\r\n");
  EXPECT_EQ(answer_challenge(client, mixed, "REGISTER", "sip:x").error().code,
            DigestClientErrc::no_digest_challenge);
}

TEST(AnswerChallenge, RefusesAResponseThatIsNoChallenge) {
  DigestClient client = client_for("alice", "secret");
  const auto header = answer_challenge(client, response("200 OK", ""), "INVITE", "sip:bob@x");
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().code, DigestClientErrc::not_a_challenge);
}

// --- against Starling's own verifier ---

constexpr std::string_view kRealm = "pbx.example.com";
constexpr std::string_view kUri = "sip:pbx.example.com";

class OneUserStore final : public CredentialStore {
public:
  [[nodiscard]] std::optional<StoredCredentials> find(std::string_view username,
                                                      std::string_view realm) const override {
    if (username != "alice" || realm != kRealm) {
      return std::nullopt;
    }
    return StoredCredentials{
        HexDigest(digest_ha1(DigestAlgorithm::md5, "alice", kRealm, "secret")),
        HexDigest(digest_ha1(DigestAlgorithm::sha256, "alice", kRealm, "secret"))};
  }
};

class DigestRoundTrip : public ::testing::Test {
protected:
  static DigestAuthOptions options(std::vector<DigestAlgorithm> algorithms) {
    DigestAuthOptions o;
    o.secret = NonceSecret{7};
    o.nonce_lifetime = std::chrono::seconds{300};
    o.offered_algorithms = std::move(algorithms);
    return o;
  }

  DigestAuthResult submit(DigestClient& client, DigestAuthenticator& server) {
    const auto header = client.authorize("REGISTER", kUri);
    EXPECT_TRUE(header);
    return server.authenticate({.method = "REGISTER",
                                .request_uri = kUri,
                                .credentials = header ? header->value : "",
                                .realm = kRealm});
  }

  static std::expected<DigestChallengeChoice, DigestClientError>
  take(DigestClient& client, const std::vector<std::string>& challenges) {
    const std::vector<std::string_view> values(challenges.begin(), challenges.end());
    return client.on_challenge(ChallengeRole::user_agent, values);
  }

  core::ManualClock clock_;
  OneUserStore store_;
  DigestAuthenticator server_{clock_, store_,
                              options({DigestAlgorithm::sha256, DigestAlgorithm::md5})};
};

TEST_F(DigestRoundTrip, TheServersChallengeAnsweredByTheClientAuthenticates) {
  DigestClient client = client_for("alice", "secret");
  ASSERT_TRUE(take(client, server_.challenge(kRealm, false)));
  const auto result = submit(client, server_);
  EXPECT_EQ(result.outcome, DigestAuthOutcome::authenticated);
  EXPECT_EQ(result.algorithm, DigestAlgorithm::sha256);

  // A refresh with the same nonce and the next count is accepted too (RFC 3261 §22.3).
  EXPECT_EQ(submit(client, server_).outcome, DigestAuthOutcome::authenticated);
}

TEST_F(DigestRoundTrip, AnMd5OnlyServerIsAnsweredWithMd5) {
  DigestAuthenticator md5_server{clock_, store_, options({DigestAlgorithm::md5})};
  DigestClient client = client_for("alice", "secret");
  ASSERT_TRUE(take(client, md5_server.challenge(kRealm, false)));
  const auto result = submit(client, md5_server);
  EXPECT_EQ(result.outcome, DigestAuthOutcome::authenticated);
  EXPECT_EQ(result.algorithm, DigestAlgorithm::md5);
}

TEST_F(DigestRoundTrip, AWrongPasswordFails) {
  DigestClient client = client_for("alice", "wrong");
  ASSERT_TRUE(take(client, server_.challenge(kRealm, false)));
  EXPECT_EQ(submit(client, server_).outcome, DigestAuthOutcome::failure);
}

TEST_F(DigestRoundTrip, AStaleNonceIsAnsweredWithTheNewOne) {
  DigestClient client = client_for("alice", "secret");
  ASSERT_TRUE(take(client, server_.challenge(kRealm, false)));
  ASSERT_EQ(submit(client, server_).outcome, DigestAuthOutcome::authenticated);

  clock_.advance(std::chrono::seconds{301});
  const auto expired = submit(client, server_);
  ASSERT_EQ(expired.outcome, DigestAuthOutcome::challenge);
  ASSERT_TRUE(expired.stale);

  const auto choice = take(client, server_.challenge(kRealm, true));
  ASSERT_TRUE(choice);
  EXPECT_TRUE(choice->stale);
  const auto header = client.authorize("REGISTER", kUri);
  EXPECT_EQ(parsed(*header).nc, "00000001");
  EXPECT_EQ(server_
                .authenticate({.method = "REGISTER",
                               .request_uri = kUri,
                               .credentials = header->value,
                               .realm = kRealm})
                .outcome,
            DigestAuthOutcome::authenticated);
}

} // namespace
} // namespace starling::sip
