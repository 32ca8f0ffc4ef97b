// Tests of a trunk registering at a provider: the provider is Starling's own Digest verifier
// behind a fake Signalling, and time is stepped with a ManualTimerService.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/clock.h"
#include "fake_signalling.h"
#include "sip/auth/digest_authenticator.h"
#include "sip/auth/digest_hash.h"
#include "sip/registration/registration_client.h"
#include "sip/scalars.h"
#include "sip/transaction/manual_timer_service.h"

namespace starling::sip {
namespace {

using std::chrono::seconds;
using test::FakeSignalling;
using test::SentRequest;

constexpr std::string_view kRegistrar = "sip:provider.example";
constexpr std::string_view kAor = "sip:trunk1@provider.example";
constexpr std::string_view kContactUri = "sip:trunk1@192.0.2.1:5060";
constexpr std::string_view kRealm = "provider.example";
constexpr std::string_view kPassword = "secret";

class ProviderAccounts final : public CredentialStore {
public:
  [[nodiscard]] std::optional<StoredCredentials> find(std::string_view username,
                                                      std::string_view realm) const override {
    if (username != "trunk1" || realm != kRealm) {
      return std::nullopt;
    }
    return StoredCredentials{
        HexDigest(digest_ha1(DigestAlgorithm::md5, "trunk1", kRealm, kPassword)),
        HexDigest(digest_ha1(DigestAlgorithm::sha256, "trunk1", kRealm, kPassword))};
  }
};

DigestAuthOptions provider_options() {
  DigestAuthOptions options;
  options.secret = NonceSecret{9};
  options.nonce_lifetime = seconds{300};
  return options;
}

std::uint32_t cseq_of(const SentRequest& request) {
  return parse_cseq(request.header(HeaderId::cseq)).value_or(CSeq{}).number;
}

class RegistrationClientTest : public ::testing::Test {
protected:
  void start(std::string password = std::string(kPassword)) {
    RegistrationSettings settings{
        .registrar = std::string(kRegistrar),
        .aor = std::string(kAor),
        .credentials = {.username = "trunk1", .password = std::move(password), .realm = ""},
        .contact = fmt::format("<{}>", kContactUri),
        .expires = kDefaultRegistrationExpires,
        .retry = {}};
    client_ = std::make_unique<RegistrationClient>(
        RegistrationServices{.signalling = signalling_,
                             .timers = timers_,
                             .clock = clock_,
                             .resolve = [this](const auto& done) { done(destinations_); },
                             .jitter = [] { return 1.0; }, // the whole backoff, exactly
                             .cnonce = random_cnonce},
        std::move(settings), [this](const RegistrationStatus& status) { seen_.push_back(status); });
    client_->start();
  }

  SentRequest& last() { return signalling_.requests.back(); }
  std::size_t sent() const { return signalling_.requests.size(); }

  // The provider answers without credentials: 401 with its SHA-256 and MD5 challenges.
  void challenge(const SentRequest& request, bool stale = false) {
    FakeSignalling::Headers headers;
    for (auto& value : provider_.challenge(kRealm, stale)) {
      headers.emplace_back("WWW-Authenticate", std::move(value));
    }
    FakeSignalling::reply(request, 401, "Unauthorized", headers);
  }

  DigestAuthResult verify(const SentRequest& request) {
    return provider_.authenticate({.method = "REGISTER",
                                   .request_uri = request.message.request_line().request_uri,
                                   .credentials = request.header(HeaderId::authorization),
                                   .realm = kRealm});
  }

  // As a registrar does (RFC 3261 §10.3): verify, then 200 with the bindings, or 401.
  void provider_answers(const SentRequest& request, seconds granted = seconds{600}) {
    const DigestAuthResult result = verify(request);
    if (result.outcome != DigestAuthOutcome::authenticated) {
      challenge(request, result.stale);
      return;
    }
    FakeSignalling::reply(
        request, 200, "OK",
        {{"Contact", "<sip:other-device@203.0.113.5>;expires=3600"},
         {"Contact", fmt::format("<{}>;expires={}", kContactUri, granted.count())}});
  }

  // Start, challenge, answer: a registered trunk.
  void register_trunk(seconds granted = seconds{600}) {
    start();
    challenge(last());
    provider_answers(last(), granted);
    ASSERT_EQ(client_->status().state, RegistrationState::registered);
  }

  std::vector<RegistrationState> states() const {
    std::vector<RegistrationState> out;
    out.reserve(seen_.size());
    for (const auto& status : seen_) {
      out.push_back(status.state);
    }
    return out;
  }

  core::ManualClock clock_;
  ManualTimerService timers_{clock_};
  FakeSignalling signalling_;
  ProviderAccounts accounts_;
  DigestAuthenticator provider_{clock_, accounts_, provider_options()};
  DestinationList destinations_{
      std::vector<Destination>{{0, "198.51.100.10", 5060}, {0, "198.51.100.11", 5060}}};
  std::vector<RegistrationStatus> seen_;
  std::unique_ptr<RegistrationClient> client_;
};

TEST_F(RegistrationClientTest, RegistersAfterAnsweringTheProvidersChallenge) {
  start();
  ASSERT_EQ(sent(), 1U);
  const SentRequest& first = last();
  EXPECT_EQ(first.message.request_line().method, "REGISTER");
  EXPECT_EQ(first.message.request_line().request_uri, kRegistrar);
  EXPECT_EQ(first.destination, (Destination{0, "198.51.100.10", 5060}));
  EXPECT_EQ(first.header(HeaderId::to), fmt::format("<{}>", kAor));
  EXPECT_EQ(first.header(HeaderId::contact), fmt::format("<{}>", kContactUri));
  EXPECT_EQ(first.header(HeaderId::expires), "600");
  EXPECT_EQ(first.header(HeaderId::authorization), "");
  EXPECT_EQ(client_->status().state, RegistrationState::registering);

  challenge(first);
  ASSERT_EQ(sent(), 2U);
  const SentRequest& second = last();
  EXPECT_EQ(second.header(HeaderId::call_id), first.header(HeaderId::call_id));
  EXPECT_EQ(cseq_of(second), cseq_of(first) + 1);
  const auto credentials = parse_digest_credentials(second.header(HeaderId::authorization));
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->algorithm, DigestAlgorithm::sha256);

  provider_answers(second, seconds{300});
  EXPECT_EQ(client_->status().state, RegistrationState::registered);
  EXPECT_EQ(client_->status().reason, "");
  // The expiry granted to our Contact, not the other device's 3600.
  EXPECT_EQ(client_->status().expires_at, clock_.system_now() + seconds{300});
  EXPECT_EQ(states(), (std::vector{RegistrationState::registering, RegistrationState::registered}));
}

TEST_F(RegistrationClientTest, RefreshesBeforeExpiryWithTheNextCSeqAndNonceCount) {
  register_trunk(seconds{120});
  const std::size_t before = sent();
  const std::uint32_t last_cseq = cseq_of(last());

  // 120 s granted: the refresh goes 30 s before the end (earlier than 90%, 108 s).
  timers_.advance(seconds{89});
  EXPECT_EQ(sent(), before);
  timers_.advance(seconds{1});
  ASSERT_EQ(sent(), before + 1);
  const SentRequest& refresh = last();
  EXPECT_EQ(cseq_of(refresh), last_cseq + 1);
  // Credentials for the known nonce, before being challenged (RFC 3261 §22.3).
  const auto credentials = parse_digest_credentials(refresh.header(HeaderId::authorization));
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->nc, "00000002");
  EXPECT_EQ(verify(refresh).outcome, DigestAuthOutcome::authenticated);

  FakeSignalling::reply(refresh, 200, "OK",
                        {{"Contact", fmt::format("<{}>;expires=120", kContactUri)}});
  EXPECT_EQ(client_->status().state, RegistrationState::registered);
  EXPECT_EQ(client_->status().expires_at, clock_.system_now() + seconds{120});
}

TEST_F(RegistrationClientTest, RefreshesWithANewNonceWhenTheOldOneIsStale) {
  register_trunk(seconds{600});
  timers_.advance(seconds{540}); // past the provider's 300 s nonce lifetime
  const SentRequest& refresh = last();
  provider_answers(refresh); // 401 stale=true

  const SentRequest& retry = last();
  EXPECT_EQ(cseq_of(retry), cseq_of(refresh) + 1);
  const auto credentials = parse_digest_credentials(retry.header(HeaderId::authorization));
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->nc, "00000001");
  provider_answers(retry);
  EXPECT_EQ(client_->status().state, RegistrationState::registered);
  // The trunk never looked unregistered while refreshing.
  EXPECT_EQ(states(), (std::vector{RegistrationState::registering, RegistrationState::registered,
                                   RegistrationState::registered}));
}

TEST_F(RegistrationClientTest, AWrongPasswordFailsAndIsRetriedAfterTheBackoff) {
  start("not-the-password");
  challenge(last());
  provider_answers(last()); // the provider challenges again, not stale
  EXPECT_EQ(client_->status().state, RegistrationState::failing);
  EXPECT_EQ(client_->status().reason, "401 from provider: wrong credentials");
  const std::size_t before = sent();

  timers_.advance(seconds{29});
  EXPECT_EQ(sent(), before);
  timers_.advance(seconds{1});
  ASSERT_EQ(sent(), before + 1);
  EXPECT_EQ(last().header(HeaderId::authorization), ""); // a fresh start
  EXPECT_EQ(client_->status().state, RegistrationState::failing);

  // Failing again doubles the wait.
  challenge(last());
  provider_answers(last());
  timers_.advance(seconds{59});
  EXPECT_EQ(sent(), before + 2);
  timers_.advance(seconds{1});
  EXPECT_EQ(sent(), before + 3);
}

TEST_F(RegistrationClientTest, RetriesWithTheMinExpiresOfA423) {
  start();
  FakeSignalling::reply(last(), 423, "Interval Too Brief", {{"Min-Expires", "1800"}});
  ASSERT_EQ(sent(), 2U);
  EXPECT_EQ(last().header(HeaderId::expires), "1800");
  EXPECT_EQ(client_->requested_expires(), seconds{1800});

  // Without an expires parameter for our Contact, the Expires header is the grant.
  FakeSignalling::reply(last(), 200, "OK", {{"Expires", "1800"}});
  EXPECT_EQ(client_->status().state, RegistrationState::registered);
  EXPECT_EQ(client_->status().expires_at, clock_.system_now() + seconds{1800});
}

TEST_F(RegistrationClientTest, A423WithoutMinExpiresFails) {
  start();
  FakeSignalling::reply(last(), 423, "Interval Too Brief");
  EXPECT_EQ(client_->status().state, RegistrationState::failing);
  EXPECT_EQ(client_->status().reason, "423 Interval Too Brief without a usable Min-Expires");
}

TEST_F(RegistrationClientTest, TriesTheNextDestinationWhenTheFirstDoesNotAnswer) {
  start();
  FakeSignalling::time_out(last());
  ASSERT_EQ(sent(), 2U);
  EXPECT_EQ(last().destination, (Destination{0, "198.51.100.11", 5060}));
  EXPECT_EQ(client_->status().state, RegistrationState::registering);
  challenge(last());
  provider_answers(last());
  EXPECT_EQ(client_->status().state, RegistrationState::registered);
  // Refreshes stay with the registrar that holds the binding.
  timers_.advance(seconds{540});
  EXPECT_EQ(last().destination, (Destination{0, "198.51.100.11", 5060}));
}

TEST_F(RegistrationClientTest, FailsWhenNoDestinationAnswersAndStartsOverAfterTheBackoff) {
  start();
  FakeSignalling::time_out(last());
  FakeSignalling::time_out(last());
  EXPECT_EQ(client_->status().state, RegistrationState::failing);
  EXPECT_EQ(client_->status().reason, "no answer from 198.51.100.11:5060");
  timers_.advance(seconds{30});
  ASSERT_EQ(sent(), 3U);
  EXPECT_EQ(last().destination, (Destination{0, "198.51.100.10", 5060}));
}

TEST_F(RegistrationClientTest, AForbiddenIsReportedWithItsReasonAndRetried) {
  start();
  FakeSignalling::reply(last(), 403, "Forbidden");
  EXPECT_EQ(client_->status().state, RegistrationState::failing);
  EXPECT_EQ(client_->status().reason, "403 Forbidden");
  timers_.advance(seconds{30});
  EXPECT_EQ(sent(), 2U);
}

TEST_F(RegistrationClientTest, HonoursRetryAfterOfA503) {
  start();
  FakeSignalling::reply(last(), 503, "Service Unavailable", {{"Retry-After", "120 (maintenance)"}});
  EXPECT_EQ(client_->status().reason, "503 Service Unavailable");
  timers_.advance(seconds{119});
  EXPECT_EQ(sent(), 1U);
  timers_.advance(seconds{1});
  EXPECT_EQ(sent(), 2U);
}

TEST_F(RegistrationClientTest, ReportsAFailedLookUp) {
  destinations_ = std::unexpected(std::string("NXDOMAIN"));
  start();
  EXPECT_EQ(sent(), 0U);
  EXPECT_EQ(client_->status().state, RegistrationState::failing);
  EXPECT_EQ(client_->status().reason, "no destination for sip:provider.example: NXDOMAIN");
}

TEST_F(RegistrationClientTest, StopUnregistersOurContact) {
  register_trunk();
  const std::uint32_t last_cseq = cseq_of(last());
  client_->stop();
  ASSERT_EQ(client_->status().state, RegistrationState::unregistered);
  const SentRequest& unregister = last();
  EXPECT_EQ(unregister.header(HeaderId::expires), "0");
  EXPECT_EQ(unregister.header(HeaderId::contact), fmt::format("<{}>", kContactUri));
  EXPECT_EQ(cseq_of(unregister), last_cseq + 1);
  EXPECT_EQ(verify(unregister).outcome, DigestAuthOutcome::authenticated);
  FakeSignalling::reply(unregister, 200, "OK");
  EXPECT_EQ(states(), (std::vector{RegistrationState::registering, RegistrationState::registered,
                                   RegistrationState::unregistered}));
  // Nothing is refreshed or retried afterwards.
  const std::size_t before = sent();
  timers_.advance(seconds{3600});
  EXPECT_EQ(sent(), before);
}

TEST_F(RegistrationClientTest, StopAnswersAChallengeToTheUnregister) {
  register_trunk();
  client_->stop();
  challenge(last()); // the provider forgot the nonce
  ASSERT_EQ(last().header(HeaderId::expires), "0");
  EXPECT_EQ(verify(last()).outcome, DigestAuthOutcome::authenticated);
}

TEST_F(RegistrationClientTest, StopWhileFailingSendsNothing) {
  start();
  FakeSignalling::reply(last(), 403, "Forbidden");
  client_->stop();
  EXPECT_EQ(sent(), 1U);
  EXPECT_EQ(client_->status().state, RegistrationState::unregistered);
  timers_.advance(seconds{3600});
  EXPECT_EQ(sent(), 1U);
}

TEST_F(RegistrationClientTest, AResponseAfterTheClientIsGoneIsDropped) {
  start();
  SentRequest first = std::move(signalling_.requests.front());
  client_.reset();
  FakeSignalling::reply(first, 200, "OK"); // must not touch the destroyed client
  EXPECT_EQ(signalling_.requests.size(), 1U);
}

} // namespace
} // namespace starling::sip
