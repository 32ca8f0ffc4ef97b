// Tests of Digest verification as a registrar sees it: challenge, answer, verdict.
#include <map>
#include <utility>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sip/auth/digest_authenticator.h"
#include "sip/auth/digest_hash.h"

namespace starling::sip {
namespace {

using std::chrono::seconds;

constexpr std::string_view kRealm = "pbx.example.com";
constexpr std::string_view kUri = "sip:pbx.example.com";
constexpr NonceSecret kSecret{42};

DigestAuthOptions options_with(const NonceSecret& secret, std::string opaque = "") {
  DigestAuthOptions options;
  options.secret = secret;
  options.nonce_lifetime = seconds{300};
  options.opaque = std::move(opaque);
  options.max_tracked_nonces = 1024;
  return options;
}

class FakeStore final : public CredentialStore {
public:
  void add(const std::string& username, std::string_view password) {
    users_[username] = {HexDigest(digest_ha1(DigestAlgorithm::md5, username, kRealm, password)),
                        HexDigest(digest_ha1(DigestAlgorithm::sha256, username, kRealm, password))};
  }
  [[nodiscard]] std::optional<StoredCredentials> find(std::string_view username,
                                                      std::string_view realm) const override {
    const auto it = users_.find(std::string(username));
    if (realm != kRealm || it == users_.end()) {
      return std::nullopt;
    }
    return it->second;
  }

private:
  std::map<std::string, StoredCredentials> users_;
};

// What a phone sends back after a challenge.
struct Answer {
  std::string username = "alice";
  std::string password = "secret";
  std::string realm{kRealm};
  std::string uri{kUri};
  std::string nonce;
  std::string nc = "00000001";
  DigestAlgorithm algorithm = DigestAlgorithm::sha256;
  std::string algorithm_name = "SHA-256";
  std::string method = "REGISTER";

  [[nodiscard]] std::string credentials() const {
    const std::string ha1 = digest_ha1(algorithm, username, realm, password);
    const HexDigest response = digest_response(algorithm, ha1,
                                               {.method = method,
                                                .uri = uri,
                                                .nonce = nonce,
                                                .nc = nc,
                                                .cnonce = "0a4f113b",
                                                .qop = "auth"});
    std::string value =
        fmt::format(R"(Digest username="{}", realm="{}", nonce="{}", uri="{}", response="{}", )"
                    R"(cnonce="0a4f113b", qop=auth, nc={})",
                    username, realm, nonce, uri, response.view(), nc);
    if (!algorithm_name.empty()) {
      value += ", algorithm=" + algorithm_name;
    }
    return value;
  }
};

class DigestAuthenticatorTest : public ::testing::Test {
protected:
  DigestAuthenticatorTest() { store_.add("alice", "secret"); }

  std::string fresh_nonce() {
    const auto values = auth_.challenge(kRealm, false);
    return std::string(parse_digest_challenge(values.at(0))->nonce);
  }

  DigestAuthResult submit(const Answer& answer) {
    const std::string credentials = answer.credentials();
    return auth_.authenticate(
        {.method = "REGISTER", .request_uri = kUri, .credentials = credentials, .realm = kRealm});
  }

  Answer answer() {
    Answer a;
    a.nonce = fresh_nonce();
    return a;
  }

  core::ManualClock clock_;
  FakeStore store_;
  DigestAuthenticator auth_{clock_, store_, options_with(kSecret)};
};

TEST_F(DigestAuthenticatorTest, ChallengesARequestWithoutCredentials) {
  const auto result = auth_.authenticate(
      {.method = "REGISTER", .request_uri = kUri, .credentials = "", .realm = kRealm});
  EXPECT_EQ(result.outcome, DigestAuthOutcome::challenge);
  EXPECT_FALSE(result.stale);
}

TEST_F(DigestAuthenticatorTest, ChallengesAnUnknownScheme) {
  const auto result = auth_.authenticate({.method = "REGISTER",
                                          .request_uri = kUri,
                                          .credentials = "NoOneKnowsThisScheme opaque-data=here",
                                          .realm = kRealm});
  EXPECT_EQ(result.outcome, DigestAuthOutcome::challenge);
}

TEST_F(DigestAuthenticatorTest, AuthenticatesTheRightPasswordWithSha256) {
  const auto result = submit(answer());
  EXPECT_EQ(result.outcome, DigestAuthOutcome::authenticated);
  EXPECT_EQ(result.username, "alice");
  EXPECT_EQ(result.algorithm, DigestAlgorithm::sha256);
}

TEST_F(DigestAuthenticatorTest, AuthenticatesTheRightPasswordWithMd5) {
  Answer a = answer();
  a.algorithm = DigestAlgorithm::md5;
  a.algorithm_name = "MD5";
  const auto result = submit(a);
  EXPECT_EQ(result.outcome, DigestAuthOutcome::authenticated);
  EXPECT_EQ(result.algorithm, DigestAlgorithm::md5);
}

TEST_F(DigestAuthenticatorTest, TakesAnAbsentAlgorithmAsMd5) {
  Answer a = answer();
  a.algorithm = DigestAlgorithm::md5;
  a.algorithm_name = "";
  EXPECT_EQ(submit(a).outcome, DigestAuthOutcome::authenticated);
}

TEST_F(DigestAuthenticatorTest, RejectsAWrongPassword) {
  Answer a = answer();
  a.password = "guess";
  const auto result = submit(a);
  EXPECT_EQ(result.outcome, DigestAuthOutcome::failure);
  EXPECT_EQ(result.reason, DigestAuthReason::wrong_password);
}

TEST_F(DigestAuthenticatorTest, AnswersUnknownUserAndWrongPasswordAlike) {
  Answer wrong_password = answer();
  wrong_password.password = "guess";
  Answer unknown_user = answer();
  unknown_user.username = "mallory";
  const auto a = submit(wrong_password);
  const auto b = submit(unknown_user);
  EXPECT_EQ(a.outcome, DigestAuthOutcome::failure);
  EXPECT_EQ(b.outcome, DigestAuthOutcome::failure);
  EXPECT_EQ(a.stale, b.stale);
  EXPECT_EQ(b.reason, DigestAuthReason::unknown_user); // for the log, never the client
  // The client sees only the challenge, which depends on neither.
  const auto challenge_a = auth_.challenge(kRealm, a.stale);
  const auto challenge_b = auth_.challenge(kRealm, b.stale);
  ASSERT_EQ(challenge_a.size(), challenge_b.size());
  for (std::size_t i = 0; i < challenge_a.size(); ++i) {
    const auto ca = parse_digest_challenge(challenge_a[i]);
    const auto cb = parse_digest_challenge(challenge_b[i]);
    ASSERT_TRUE(ca && cb);
    EXPECT_EQ(challenge_a[i].size(), challenge_b[i].size());
    EXPECT_EQ(ca->algorithm, cb->algorithm);
    EXPECT_EQ(ca->stale, cb->stale);
    EXPECT_EQ(ca->qop_options, cb->qop_options);
  }
}

TEST_F(DigestAuthenticatorTest, RejectsAReplayedNonceCount) {
  const Answer a = answer();
  EXPECT_EQ(submit(a).outcome, DigestAuthOutcome::authenticated);
  const auto replay = submit(a);
  EXPECT_EQ(replay.outcome, DigestAuthOutcome::failure);
  EXPECT_EQ(replay.reason, DigestAuthReason::nonce_count_replayed);
}

TEST_F(DigestAuthenticatorTest, NamesTheUserOfAReplayedOrForgottenCountWithTheRightPassword) {
  const Answer first = answer();
  ASSERT_EQ(submit(first).outcome, DigestAuthOutcome::authenticated);
  const auto replay = submit(first);
  EXPECT_TRUE(replay.count_unusable());
  EXPECT_EQ(replay.username, "alice");
  // options_with() tracks 1,024 nonces: as many newer ones push the first out.
  for (int n = 0; n < 1024; ++n) {
    clock_.advance(std::chrono::milliseconds{1});
    ASSERT_EQ(submit(answer()).outcome, DigestAuthOutcome::authenticated) << n;
  }
  const auto forgotten = submit(first);
  EXPECT_EQ(forgotten.outcome, DigestAuthOutcome::challenge);
  EXPECT_EQ(forgotten.reason, DigestAuthReason::nonce_count_forgotten);
  EXPECT_TRUE(forgotten.stale);
  EXPECT_TRUE(forgotten.count_unusable());
  EXPECT_EQ(forgotten.username, "alice");

  Answer wrong = first;
  wrong.password = "guess";
  EXPECT_FALSE(submit(wrong).count_unusable());
}

TEST_F(DigestAuthenticatorTest, AcceptsIncreasingNonceCountsOnOneNonce) {
  Answer a = answer();
  for (const char* nc : {"00000001", "00000002", "0000000A"}) {
    a.nc = nc;
    EXPECT_EQ(submit(a).outcome, DigestAuthOutcome::authenticated) << nc;
  }
}

TEST_F(DigestAuthenticatorTest, AsksForAFreshNonceWhenOneFromAnotherSecretIsUsed) {
  DigestAuthenticator other(clock_, store_, options_with(NonceSecret{7}));
  Answer a;
  a.nonce = std::string(parse_digest_challenge(other.challenge(kRealm, false).at(0))->nonce);
  const auto result = submit(a);
  EXPECT_EQ(result.outcome, DigestAuthOutcome::challenge);
  EXPECT_TRUE(result.stale);
  EXPECT_EQ(result.reason, DigestAuthReason::forged_nonce);
}

TEST_F(DigestAuthenticatorTest, RejectsAnotherSecretsNonceWithAWrongPassword) {
  DigestAuthenticator other(clock_, store_, options_with(NonceSecret{7}));
  Answer a;
  a.nonce = std::string(parse_digest_challenge(other.challenge(kRealm, false).at(0))->nonce);
  a.password = "guess";
  EXPECT_EQ(submit(a).outcome, DigestAuthOutcome::failure);
}

TEST_F(DigestAuthenticatorTest, DoesNotAuthenticateATamperedNonce) {
  Answer a = answer();
  a.nonce[10] = a.nonce[10] == 'x' ? 'y' : 'x';
  const auto result = submit(a);
  EXPECT_NE(result.outcome, DigestAuthOutcome::authenticated);
  EXPECT_EQ(result.reason, DigestAuthReason::forged_nonce);
}

TEST_F(DigestAuthenticatorTest, AnswersAnExpiredNonceWithTheRightPasswordWithStale) {
  const Answer a = answer();
  clock_.advance(seconds{301});
  const auto result = submit(a);
  EXPECT_EQ(result.outcome, DigestAuthOutcome::challenge);
  EXPECT_TRUE(result.stale);
  const auto values = auth_.challenge(kRealm, result.stale);
  EXPECT_TRUE(parse_digest_challenge(values.at(0))->stale);
}

TEST_F(DigestAuthenticatorTest, FailsAnExpiredNonceWithAWrongPasswordWithoutStale) {
  Answer a = answer();
  a.password = "guess";
  clock_.advance(seconds{301});
  const auto result = submit(a);
  EXPECT_EQ(result.outcome, DigestAuthOutcome::failure);
  EXPECT_FALSE(result.stale);
}

TEST_F(DigestAuthenticatorTest, RejectsAnotherRealm) {
  Answer a = answer();
  a.realm = "other.example.com";
  const auto result = submit(a);
  EXPECT_EQ(result.outcome, DigestAuthOutcome::failure);
  EXPECT_EQ(result.reason, DigestAuthReason::wrong_realm);
}

TEST_F(DigestAuthenticatorTest, RejectsADigestUriThatIsNotTheRequestUri) {
  Answer a = answer();
  a.uri = "sip:elsewhere.example.com";
  EXPECT_EQ(submit(a).reason, DigestAuthReason::uri_mismatch);
}

TEST_F(DigestAuthenticatorTest, AcceptsAnEquivalentDigestUri) {
  Answer a = answer();
  a.uri = "sip:PBX.example.com";
  EXPECT_EQ(submit(a).outcome, DigestAuthOutcome::authenticated);
}

TEST_F(DigestAuthenticatorTest, RejectsUnsupportedAlgorithmsAndMissingQop) {
  Answer a = answer();
  a.algorithm = DigestAlgorithm::md5;
  a.algorithm_name = "MD5-sess";
  EXPECT_EQ(submit(a).reason, DigestAuthReason::unsupported_algorithm);

  const std::string rfc2069 = R"(Digest username="alice", realm="pbx.example.com", )"
                              R"(nonce=")" +
                              fresh_nonce() +
                              R"(", uri="sip:pbx.example.com", )"
                              R"(response="6629fae49393a05397450978507c4ef1")";
  const auto result = auth_.authenticate(
      {.method = "REGISTER", .request_uri = kUri, .credentials = rfc2069, .realm = kRealm});
  EXPECT_EQ(result.reason, DigestAuthReason::unsupported_qop);
}

TEST_F(DigestAuthenticatorTest, FailsMalformedCredentials) {
  const auto result = auth_.authenticate({.method = "REGISTER",
                                          .request_uri = kUri,
                                          .credentials = R"(Digest username="alice")",
                                          .realm = kRealm});
  EXPECT_EQ(result.outcome, DigestAuthOutcome::failure);
  EXPECT_EQ(result.reason, DigestAuthReason::malformed_credentials);
}

TEST(DigestAuthenticatorOpaque, RequiresTheOpaqueItSent) {
  core::ManualClock clock;
  FakeStore store;
  store.add("alice", "secret");
  DigestAuthenticator auth(clock, store, options_with(kSecret, "xyz"));
  const auto challenges = auth.challenge(kRealm, false); // the parse below views into it
  const auto challenge = parse_digest_challenge(challenges.at(0));
  EXPECT_EQ(challenge->opaque, "xyz");
  Answer a;
  a.nonce = std::string(challenge->nonce);
  const std::string without = a.credentials();
  const std::string with = without + R"(, opaque="xyz")";
  const auto submit = [&](const std::string& credentials) {
    return auth.authenticate(
        {.method = "REGISTER", .request_uri = kUri, .credentials = credentials, .realm = kRealm});
  };
  EXPECT_EQ(submit(without).reason, DigestAuthReason::opaque_mismatch);
  EXPECT_EQ(submit(with).outcome, DigestAuthOutcome::authenticated);
}

} // namespace
} // namespace starling::sip
