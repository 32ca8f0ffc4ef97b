// Tests of the SCRAM server (RFC 5802, RFC 7677) against an RFC-conformant client.
#include <gtest/gtest.h>

#include "sasl_test_support.h"
#include "xmpp/sasl/scram_server.h"

namespace starling::xmpp::sasl {
namespace {

using testing::challenge_text;
using testing::failure_of;
using testing::refuses_credentials;
using testing::ScramTestClient;
using testing::TestLookup;
using testing::text_of;

Bytes decoded(std::string_view base64) {
  return decode_base64(base64).value();
}

SaslSettings settings() {
  return SaslSettings{
      .domain = "example.com", .fake_salt_secret = Bytes(32, 0x42), .scram_iterations = 4096};
}

const StreamSecurity kNoTls{};

Bytes exporter_data(std::uint8_t fill) {
  return Bytes(kTlsExporterLength, fill);
}

StreamSecurity tls_with_exporter(std::uint8_t fill = 0xab) {
  return StreamSecurity{
      .tls = true, .channel_bindings = {{ChannelBindingType::tls_exporter, exporter_data(fill)}}};
}

StreamSecurity tls12_with_both_bindings() {
  auto security = tls_with_exporter();
  security.channel_bindings.push_back({ChannelBindingType::tls_unique, Bytes(12, 0xcd)});
  return security;
}

// Runs the whole exchange for `client` and returns the server's last step.
Step run(ScramServer& server, ScramTestClient& client) {
  const Step first = server.step(as_bytes(client.client_first()));
  if (!std::holds_alternative<Challenge>(first)) {
    return first;
  }
  return server.step(as_bytes(client.client_final(challenge_text(first))));
}

class ScramServerTest : public ::testing::Test {
protected:
  void SetUp() override { lookup_.add_user("user", "pencil", random_scram_salt()); }

  ScramServer server(ScramHash hash, const StreamSecurity& security = kNoTls, bool plus = false) {
    return {hash, plus, lookup_, settings(), security, "3rfcNHYJY1ZVvWVs7j"};
  }

  TestLookup lookup_;
};

TEST(ScramServerRfcExamples, Rfc5802Sha1ExchangeIsReproducedVerbatim) {
  TestLookup lookup;
  lookup.add_user("user", "pencil", decoded("QSXCR+Q6sek8bf92"));
  ScramServer server(ScramHash::sha1, false, lookup, settings(), kNoTls, "3rfcNHYJY1ZVvWVs7j");
  EXPECT_EQ(server.name(), "SCRAM-SHA-1");

  const Step first = server.step(as_bytes("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
  EXPECT_EQ(challenge_text(first),
            "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");

  const Step final_step = server.step(as_bytes(
      "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
  const auto* success = std::get_if<Success>(&final_step);
  ASSERT_NE(success, nullptr) << challenge_text(final_step);
  EXPECT_EQ(text_of(success->additional_data), "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
  EXPECT_EQ(success->username, "user");
}

TEST(ScramServerRfcExamples, Rfc7677Sha256ExchangeIsReproducedVerbatim) {
  TestLookup lookup;
  lookup.add_user("user", "pencil", decoded("W22ZaJ0SNY7soEsUEjb6gQ=="));
  ScramServer server(ScramHash::sha256, false, lookup, settings(), kNoTls,
                     "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
  EXPECT_EQ(server.name(), "SCRAM-SHA-256");

  const Step first = server.step(as_bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
  EXPECT_EQ(challenge_text(first), "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                   "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");

  const Step final_step =
      server.step(as_bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                           "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
  const auto* success = std::get_if<Success>(&final_step);
  ASSERT_NE(success, nullptr) << challenge_text(final_step);
  EXPECT_EQ(text_of(success->additional_data), "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
}

TEST_F(ScramServerTest, RightPasswordSucceedsWithTheSignatureTheClientExpects) {
  for (const auto hash : {ScramHash::sha1, ScramHash::sha256}) {
    auto scram = server(hash);
    ScramTestClient client{.hash = hash};
    const Step result = run(scram, client);
    const auto* success = std::get_if<Success>(&result);
    ASSERT_NE(success, nullptr) << challenge_text(result);
    EXPECT_EQ(text_of(success->additional_data), client.expected_server_final);
  }
}

TEST_F(ScramServerTest, WrongPasswordFailsWithNotAuthorized) {
  auto scram = server(ScramHash::sha256);
  ScramTestClient client{.password = "pencil2"};
  EXPECT_EQ(failure_of(run(scram, client)), Condition::not_authorized);
}

TEST_F(ScramServerTest, UnknownUserGetsAPlausibleStableServerFirstAndFailsOnlyAtTheProof) {
  const auto server_first_for = [&](const std::string& user, SaslSettings config) {
    ScramServer scram(ScramHash::sha256, false, lookup_, config, kNoTls, "SERVERNONCE");
    return challenge_text(scram.step(as_bytes("n,,n=" + user + ",r=clientnonce")));
  };
  const std::string unknown = server_first_for("nobody", settings());
  const std::string known = server_first_for("user", settings());
  // Same shape as a real one: the nonces, a 16-byte salt, the configured iteration count.
  ASSERT_TRUE(unknown.starts_with("r=clientnonceSERVERNONCE,s=")) << unknown;
  ASSERT_TRUE(unknown.ends_with(",i=4096")) << unknown;
  const auto salt = unknown.substr(27, unknown.size() - 27 - 7);
  EXPECT_EQ(decoded(salt).size(), kScramSaltLength);
  EXPECT_EQ(unknown.size(), known.size());
  // Stable across attempts (as a stored salt is), different per user and per secret.
  EXPECT_EQ(server_first_for("nobody", settings()), unknown);
  EXPECT_NE(server_first_for("nobody2", settings()), unknown);
  auto other_secret = settings();
  other_secret.fake_salt_secret = Bytes(32, 0x43);
  EXPECT_NE(server_first_for("nobody", other_secret), unknown);

  ScramServer scram(ScramHash::sha256, false, lookup_, settings(), kNoTls, "SERVERNONCE");
  ScramTestClient client{.username = "nobody"};
  const Step result = run(scram, client);
  EXPECT_EQ(failure_of(result), Condition::not_authorized);
}

TEST_F(ScramServerTest, WrongProofAndUnknownUserCountAsRefusedCredentials) {
  for (ScramTestClient client :
       {ScramTestClient{.password = "pencil2"}, ScramTestClient{.username = "nobody"}}) {
    auto scram = server(ScramHash::sha256);
    EXPECT_TRUE(refuses_credentials(run(scram, client))) << client.username;
  }
  auto scram = server(ScramHash::sha256);
  ScramTestClient right;
  EXPECT_FALSE(refuses_credentials(run(scram, right)));
}

TEST_F(ScramServerTest, ChannelBindingFailuresDoNotCountAsRefusedCredentials) {
  // slixmpp asks for -PLUS with tls-unique first; on TLS 1.3 that fails before any proof.
  auto unavailable = server(ScramHash::sha256, tls_with_exporter(), true);
  EXPECT_FALSE(refuses_credentials(unavailable.step(as_bytes("p=tls-unique,,n=user,r=abc"))));
  auto mismatch = server(ScramHash::sha256, tls_with_exporter(0xab), true);
  ScramTestClient client{.gs2_header = "p=tls-exporter,,",
                         .channel_binding_data = exporter_data(0xac)};
  EXPECT_FALSE(refuses_credentials(run(mismatch, client)));
}

TEST_F(ScramServerTest, ClientSayingYWhenTlsUniqueWasOfferedIsRefusedAsADowngrade) {
  auto scram = server(ScramHash::sha256, tls12_with_both_bindings());
  EXPECT_EQ(failure_of(scram.step(as_bytes("y,,n=user,r=abc"))), Condition::not_authorized);
}

TEST_F(ScramServerTest, ClientSayingYWhenOnlyTlsExporterWasOfferedSucceeds) {
  // TLS 1.3: a client that binds with tls-unique only has no binding in common with us.
  auto scram = server(ScramHash::sha256, tls_with_exporter());
  ScramTestClient client{.gs2_header = "y,,"};
  EXPECT_TRUE(std::holds_alternative<Success>(run(scram, client)));
}

TEST_F(ScramServerTest, ClientSayingYWhenNoPlusWasOfferedSucceeds) {
  const StreamSecurity tls_without_bindings{.tls = true};
  auto scram = server(ScramHash::sha256, tls_without_bindings);
  ScramTestClient client{.gs2_header = "y,,"};
  EXPECT_TRUE(std::holds_alternative<Success>(run(scram, client)));
}

TEST_F(ScramServerTest, PlusMechanismSucceedsWithTheChannelsBindingData) {
  auto scram = server(ScramHash::sha256, tls_with_exporter(0xab), true);
  EXPECT_EQ(scram.name(), "SCRAM-SHA-256-PLUS");
  ScramTestClient client{.gs2_header = "p=tls-exporter,,",
                         .channel_binding_data = exporter_data(0xab)};
  const Step result = run(scram, client);
  ASSERT_TRUE(std::holds_alternative<Success>(result)) << challenge_text(result);
}

TEST_F(ScramServerTest, ChannelBindingDataMismatchFailsWithNotAuthorized) {
  auto scram = server(ScramHash::sha256, tls_with_exporter(0xab), true);
  ScramTestClient client{.gs2_header = "p=tls-exporter,,",
                         .channel_binding_data = exporter_data(0xac)};
  EXPECT_EQ(failure_of(run(scram, client)), Condition::not_authorized);
}

TEST_F(ScramServerTest, ChannelBindingHeaderAlteredBetweenMessagesFails) {
  // c= must repeat the gs2 header of the client-first message exactly.
  auto scram = server(ScramHash::sha256);
  const Step first = scram.step(as_bytes("n,,n=user,r=abc"));
  ScramTestClient client{.client_nonce = "abc", .gs2_header = "y,,"};
  EXPECT_EQ(failure_of(scram.step(as_bytes(client.client_final(challenge_text(first))))),
            Condition::not_authorized);
}

TEST_F(ScramServerTest, PlusMechanismWithoutChannelBindingFlagIsMalformed) {
  for (const std::string_view first : {"n,,n=user,r=abc", "y,,n=user,r=abc"}) {
    auto scram = server(ScramHash::sha256, tls_with_exporter(), true);
    EXPECT_EQ(failure_of(scram.step(as_bytes(first))), Condition::malformed_request) << first;
  }
}

TEST_F(ScramServerTest, BindingTypeTheConnectionLacksIsRefused) {
  for (const std::string_view first :
       {"p=tls-unique,,n=user,r=abc", "p=tls-server-end-point,,n=user,r=abc"}) {
    auto scram = server(ScramHash::sha256, tls_with_exporter(), true);
    EXPECT_EQ(failure_of(scram.step(as_bytes(first))), Condition::not_authorized) << first;
  }
}

TEST_F(ScramServerTest, ChannelBindingFlagOnNonPlusMechanismIsMalformed) {
  auto scram = server(ScramHash::sha256, tls_with_exporter());
  EXPECT_EQ(failure_of(scram.step(as_bytes("p=tls-exporter,,n=user,r=abc"))),
            Condition::malformed_request);
}

TEST_F(ScramServerTest, AuthzidOfAnotherUserFailsWithInvalidAuthzid) {
  auto scram = server(ScramHash::sha256);
  ScramTestClient client{.gs2_header = "n,a=admin@example.com,"};
  EXPECT_EQ(failure_of(run(scram, client)), Condition::invalid_authzid);
}

TEST_F(ScramServerTest, AuthzidOfTheUsersOwnNameOrBareJidSucceeds) {
  for (const std::string header : {"n,a=user,", "n,a=user@example.com,", "n,a=User@EXAMPLE.com,"}) {
    auto scram = server(ScramHash::sha256);
    ScramTestClient client{.gs2_header = header};
    EXPECT_TRUE(std::holds_alternative<Success>(run(scram, client))) << header;
  }
}

TEST_F(ScramServerTest, AuthzidWithWrongPasswordStillSaysNotAuthorized) {
  auto scram = server(ScramHash::sha256);
  ScramTestClient client{.password = "wrong", .gs2_header = "n,a=admin,"};
  EXPECT_EQ(failure_of(run(scram, client)), Condition::not_authorized);
}

TEST_F(ScramServerTest, MalformedClientFirstMessagesAreMalformedRequests) {
  for (const std::string_view first : {
           "",
           "n",
           "x,,n=user,r=abc",
           "n,n=user,r=abc",        // one comma in the gs2 header
           "p,,n=user,r=abc",       // p without a type
           "p=,,n=user,r=abc",      // empty type
           "p=tls_x,,n=user,r=abc", // '_' is not a cb-name character
           "n,b=x,n=user,r=abc",    // not an authzid
           "n,a=,n=user,r=abc",     // empty authzid
           "n,,r=abc",              // no user name
           "n,,n=,r=abc",           // empty user name
           "n,,n=user",             // no nonce
           "n,,n=user,r=",          // empty nonce
           "n,,n=user,x=abc",       // something else where the nonce belongs
           "n,,m=ext,n=user,r=abc", // mandatory extension (RFC 5802 §5.1)
           "n,,n=us=er,r=abc",      // '=' not followed by 2C or 3D
           "n,,n=us=2,r=abc",       // truncated escape
           "n,,n=user,r=ab\x01",    // control character in the nonce
           "n,,n=user,r=abc,",      // empty extension
           "n,,n=user,r=abc,1=x",   // extension name not a letter
           "n,,n=us\x01r,r=abc",    // control character in the user name (SASLprep)
           "n,,n=\xff,r=abc",       // not UTF-8
       }) {
    auto scram = server(ScramHash::sha256);
    EXPECT_EQ(failure_of(scram.step(as_bytes(first))), Condition::malformed_request)
        << "client-first: " << first;
  }
  auto scram = server(ScramHash::sha256);
  const std::string nul_in_name("n,,n=us\0er,r=abc", 16);
  EXPECT_EQ(failure_of(scram.step(as_bytes(nul_in_name))), Condition::malformed_request);
  auto long_message = server(ScramHash::sha256);
  EXPECT_EQ(failure_of(long_message.step(as_bytes("n,,n=user,r=" + std::string(5000, 'a')))),
            Condition::malformed_request);
}

TEST_F(ScramServerTest, ExtensionsInClientMessagesAreIgnored) {
  auto scram = server(ScramHash::sha256);
  ScramTestClient client{.client_nonce = "abc,x=extension"};
  EXPECT_TRUE(std::holds_alternative<Success>(run(scram, client)));
}

TEST_F(ScramServerTest, MalformedClientFinalMessagesFailWithoutSucceeding) {
  const std::string nonce = "abc3rfcNHYJY1ZVvWVs7j";
  const std::vector<std::pair<std::string, Condition>> cases{
      {"", Condition::malformed_request},
      {"c=biws,r=" + nonce, Condition::malformed_request},      // no proof
      {"r=" + nonce + ",p=AAAA", Condition::malformed_request}, // no channel binding
      {"c=biws,p=AAAA", Condition::malformed_request},          // no nonce
      {"c=biws,r=" + nonce + ",p=not*base64", Condition::malformed_request},
      {"c=biws,r=" + nonce + ",p=AAA", Condition::malformed_request},  // base64 length
      {"c=biws,r=" + nonce + ",p=", Condition::malformed_request},     // empty proof
      {"c=bi*s,r=" + nonce + ",p=AAAA", Condition::malformed_request}, // bad c= base64
      {"c=biws,r=" + nonce + ",p=AAAA", Condition::malformed_request}, // proof too short
      {"c=biws,r=" + nonce + ",1=x,p=AAAA", Condition::malformed_request},
      // The nonce must be the client's followed by the server's, exactly.
      {"c=biws,r=abc,p=" + encode_base64(Bytes(32, 1)), Condition::not_authorized},
      {"c=biws,r=xyz3rfcNHYJY1ZVvWVs7j,p=" + encode_base64(Bytes(32, 1)),
       Condition::not_authorized},
      {"c=biws,r=" + nonce + "x,p=" + encode_base64(Bytes(32, 1)), Condition::not_authorized},
      {"c=biws,r=" + nonce + ",p=" + encode_base64(Bytes(32, 1)), Condition::not_authorized},
  };
  for (const auto& [final_message, condition] : cases) {
    auto scram = server(ScramHash::sha256);
    ASSERT_TRUE(std::holds_alternative<Challenge>(scram.step(as_bytes("n,,n=user,r=abc"))));
    EXPECT_EQ(failure_of(scram.step(as_bytes(final_message))), condition)
        << "client-final: " << final_message;
  }
}

TEST_F(ScramServerTest, EveryStepAfterTheOutcomeFails) {
  auto scram = server(ScramHash::sha256);
  ScramTestClient client;
  ASSERT_TRUE(std::holds_alternative<Success>(run(scram, client)));
  EXPECT_EQ(failure_of(scram.step(as_bytes(client.client_first()))), Condition::malformed_request);

  auto failed = server(ScramHash::sha256);
  ASSERT_TRUE(failure_of(failed.step(as_bytes("garbage"))));
  EXPECT_EQ(failure_of(failed.step(as_bytes(client.client_first()))), Condition::malformed_request);
}

TEST_F(ScramServerTest, UnavailableStoreIsATemporaryFailure) {
  lookup_.set_unavailable(true);
  auto scram = server(ScramHash::sha256);
  EXPECT_EQ(failure_of(scram.step(as_bytes("n,,n=user,r=abc"))), Condition::temporary_auth_failure);
}

TEST_F(ScramServerTest, DisabledAccountIsToldOnlyToWhoeverKnowsItsPassword) {
  lookup_.set_state("user", AccountState::disabled);
  auto wrong = server(ScramHash::sha256);
  ScramTestClient wrong_client{.password = "guess"};
  EXPECT_EQ(failure_of(run(wrong, wrong_client)), Condition::not_authorized);

  auto right = server(ScramHash::sha256);
  ScramTestClient right_client;
  EXPECT_EQ(failure_of(run(right, right_client)), Condition::account_disabled);

  lookup_.set_state("user", AccountState::credentials_expired);
  auto expired = server(ScramHash::sha256);
  EXPECT_EQ(failure_of(run(expired, right_client)), Condition::credentials_expired);
}

TEST_F(ScramServerTest, EscapedUserNameIsLookedUpUnescaped) {
  lookup_.add_user("a,b=c", "pencil", random_scram_salt());
  auto scram = server(ScramHash::sha256);
  ScramTestClient client{.username = "a=2Cb=3Dc"};
  const Step result = run(scram, client);
  const auto* success = std::get_if<Success>(&result);
  ASSERT_NE(success, nullptr) << challenge_text(result);
  EXPECT_EQ(success->username, "a,b=c");
}

TEST_F(ScramServerTest, RandomServerNoncesAreLongAndDifferEachTime) {
  ScramServer one(ScramHash::sha256, false, lookup_, settings(), kNoTls);
  ScramServer two(ScramHash::sha256, false, lookup_, settings(), kNoTls);
  const std::string first = challenge_text(one.step(as_bytes("n,,n=user,r=abc")));
  const std::string second = challenge_text(two.step(as_bytes("n,,n=user,r=abc")));
  EXPECT_NE(first, second);
  EXPECT_EQ(first.find(",s="), std::string("r=abc").size() + 24) << first;
}

TEST(ScramServerSettings, ShortFakeSaltSecretIsRefusedAtConstruction) {
  TestLookup lookup;
  auto config = settings();
  config.fake_salt_secret = Bytes(8, 1);
  EXPECT_THROW(ScramServer(ScramHash::sha256, false, lookup, config, kNoTls),
               std::invalid_argument);
}

} // namespace
} // namespace starling::xmpp::sasl
