// Tests of which SASL mechanisms are offered and how an exchange starts (RFC 6120 §6).
#include <gtest/gtest.h>

#include "sasl_test_support.h"
#include "xmpp/sasl/mechanisms.h"

namespace starling::xmpp::sasl {
namespace {

using testing::challenge_text;
using testing::failure_of;
using testing::ScramTestClient;
using testing::TestLookup;

using Names = std::vector<std::string_view>;

SaslSettings settings() {
  return SaslSettings{.domain = "example.com", .fake_salt_secret = Bytes(32, 9)};
}

ChannelBindings both_bindings() {
  return {{ChannelBindingType::tls_exporter, Bytes(32, 1)},
          {ChannelBindingType::tls_unique, Bytes(12, 2)}};
}

TEST(OfferedMechanisms, WithoutTlsOnlyScramWithoutChannelBindingIsOffered) {
  EXPECT_EQ(offered_mechanisms(settings(), StreamSecurity{}),
            (Names{"SCRAM-SHA-256", "SCRAM-SHA-1"}));
  // Bindings handed in without TLS are ignored.
  EXPECT_EQ(offered_mechanisms(settings(),
                               StreamSecurity{.tls = false, .channel_bindings = both_bindings()}),
            (Names{"SCRAM-SHA-256", "SCRAM-SHA-1"}));
}

TEST(OfferedMechanisms, InsideTlsWithBindingsPlusComeFirstSha256BeforeSha1AndPlainLast) {
  EXPECT_EQ(
      offered_mechanisms(settings(),
                         StreamSecurity{.tls = true, .channel_bindings = both_bindings()}),
      (Names{"SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"}));
}

TEST(OfferedMechanisms, InsideTlsWithoutBindingsThereIsNoPlus) {
  EXPECT_EQ(offered_mechanisms(settings(), StreamSecurity{.tls = true}),
            (Names{"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"}));
}

TEST(OfferedMechanisms, PolicyCanTurnOffSha1AndPlain) {
  auto strict = settings();
  strict.allow_scram_sha1 = false;
  strict.allow_plain = false;
  EXPECT_EQ(
      offered_mechanisms(strict, StreamSecurity{.tls = true, .channel_bindings = both_bindings()}),
      (Names{"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"}));
}

class MechanismsTest : public ::testing::Test {
protected:
  void SetUp() override { lookup_.add_user("user", "pencil", random_scram_salt()); }

  Mechanisms mechanisms(StreamSecurity security, SaslSettings config = settings()) {
    return {lookup_, std::move(config), std::move(security)};
  }

  TestLookup lookup_;
};

TEST_F(MechanismsTest, RefusalsNameTheRfc6120Condition) {
  auto strict = settings();
  strict.allow_scram_sha1 = false;
  const auto no_tls = mechanisms(StreamSecurity{}, strict);
  const auto tls = mechanisms(StreamSecurity{.tls = true}, strict);
  const auto ping = as_bytes("n,,n=user,r=abc");
  EXPECT_EQ(failure_of(no_tls.start("PLAIN", ping).step), Condition::encryption_required);
  EXPECT_EQ(failure_of(no_tls.start("SCRAM-SHA-256-PLUS", ping).step),
            Condition::encryption_required);
  EXPECT_EQ(failure_of(tls.start("SCRAM-SHA-256-PLUS", ping).step), Condition::invalid_mechanism);
  EXPECT_EQ(failure_of(tls.start("SCRAM-SHA-1", ping).step), Condition::mechanism_too_weak);
  EXPECT_EQ(failure_of(tls.start("DIGEST-MD5", ping).step), Condition::invalid_mechanism);
  EXPECT_EQ(failure_of(tls.start("plain", ping).step), Condition::invalid_mechanism);
  EXPECT_EQ(failure_of(tls.start("", ping).step), Condition::invalid_mechanism);
  EXPECT_EQ(tls.start("DIGEST-MD5", ping).mechanism, nullptr);
}

TEST_F(MechanismsTest, AuthWithoutInitialResponseGetsAnEmptyChallengeFirst) {
  const auto sasl = mechanisms(StreamSecurity{.tls = true});
  auto exchange = sasl.start("SCRAM-SHA-256", std::nullopt);
  ASSERT_NE(exchange.mechanism, nullptr);
  const auto* challenge = std::get_if<Challenge>(&exchange.step);
  ASSERT_NE(challenge, nullptr);
  EXPECT_TRUE(challenge->data.empty());

  ScramTestClient client;
  const Step first = exchange.mechanism->step(as_bytes(client.client_first()));
  const Step final_step =
      exchange.mechanism->step(as_bytes(client.client_final(challenge_text(first))));
  EXPECT_TRUE(std::holds_alternative<Success>(final_step)) << challenge_text(final_step);
}

TEST_F(MechanismsTest, EmptyInitialResponseIsGivenToTheMechanism) {
  const auto sasl = mechanisms(StreamSecurity{.tls = true});
  // "=" decodes to zero bytes: a present but empty initial response, which PLAIN refuses.
  EXPECT_EQ(failure_of(sasl.start("PLAIN", std::span<const std::uint8_t>{}).step),
            Condition::malformed_request);
}

TEST_F(MechanismsTest, PlainInitialResponseCompletesInOneStep) {
  const auto sasl = mechanisms(StreamSecurity{.tls = true});
  const std::string response("\0user\0pencil", 12);
  const auto exchange = sasl.start("PLAIN", as_bytes(response));
  ASSERT_TRUE(std::holds_alternative<Success>(exchange.step));
  EXPECT_EQ(exchange.mechanism->name(), "PLAIN");
}

TEST_F(MechanismsTest, ChannelBindingTypesAreListedOnlyInsideTls) {
  EXPECT_EQ(mechanisms(StreamSecurity{.tls = true, .channel_bindings = both_bindings()})
                .channel_binding_types(),
            (Names{"tls-exporter", "tls-unique"}));
  EXPECT_TRUE(mechanisms(StreamSecurity{.tls = false, .channel_bindings = both_bindings()})
                  .channel_binding_types()
                  .empty());
}

TEST_F(MechanismsTest, DowngradedClientIsRefusedThroughTheFacade) {
  const auto sasl = mechanisms(StreamSecurity{.tls = true, .channel_bindings = both_bindings()});
  EXPECT_EQ(failure_of(sasl.start("SCRAM-SHA-256", as_bytes("y,,n=user,r=abc")).step),
            Condition::not_authorized);
  EXPECT_TRUE(std::holds_alternative<Challenge>(
      sasl.start("SCRAM-SHA-256", as_bytes("n,,n=user,r=abc")).step));
}

TEST_F(MechanismsTest, ShortFakeSaltSecretIsRefusedAtConstruction) {
  auto config = settings();
  config.fake_salt_secret.clear();
  EXPECT_THROW(Mechanisms(lookup_, config, StreamSecurity{}), std::invalid_argument);
}

} // namespace
} // namespace starling::xmpp::sasl
