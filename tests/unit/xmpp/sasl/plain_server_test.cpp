// Tests of the PLAIN mechanism (RFC 4616): parsing, limits and the password check.
#include <gtest/gtest.h>

#include "sasl_test_support.h"
#include "xmpp/sasl/plain_server.h"

namespace starling::xmpp::sasl {
namespace {

using testing::failure_of;
using testing::refuses_credentials;
using testing::TestLookup;

std::span<const std::uint8_t> message(const std::string& text) {
  return as_bytes(text);
}

TEST(PlainParser, SplitsAuthzidAuthcidAndPasswordAtTheNuls) {
  const std::string text("\0user\0pencil", 12);
  const auto plain = parse_plain(message(text));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->authzid, "");
  EXPECT_EQ(plain->authcid, "user");
  EXPECT_EQ(plain->password, "pencil");

  const std::string with_authzid("user@example.com\0user\0pen cil", 29);
  const auto full = parse_plain(message(with_authzid));
  ASSERT_TRUE(full);
  EXPECT_EQ(full->authzid, "user@example.com");
  EXPECT_EQ(full->password, "pen cil");
}

TEST(PlainParser, RefusesMessagesThatBreakTheGrammar) {
  for (const std::string& text : {
           std::string(""), std::string("userpencil"), std::string("user\0pencil", 11), // one NUL
           std::string("\0user\0pen\0cil", 13), // three NULs
           std::string("\0\0pencil", 8),        // empty authcid
           std::string("\0user\0", 6),          // empty password
           std::string("\0\0", 2),
           std::string("\0us\xff"
                       "er\0pencil",
                       13),                    // not UTF-8
           std::string("\0user\0\xc0\xaf", 8), // overlong UTF-8
       }) {
    const auto plain = parse_plain(message(text));
    ASSERT_FALSE(plain) << text.size();
    EXPECT_EQ(plain.error().condition, Condition::malformed_request);
  }
}

TEST(PlainParser, RefusesFieldsOverTheirLimits) {
  const std::string longest_password =
      std::string(1, '\0') + "user" + '\0' + std::string(kMaxPlainPasswordLength, 'p');
  EXPECT_TRUE(parse_plain(message(longest_password)));
  EXPECT_FALSE(parse_plain(message(longest_password + "p")));
  const std::string long_authcid =
      std::string(1, '\0') + std::string(kMaxPlainIdentityLength + 1, 'u') + '\0' + "pencil";
  EXPECT_FALSE(parse_plain(message(long_authcid)));
  const std::string huge(100000, 'x');
  EXPECT_FALSE(parse_plain(message(huge)));
}

class PlainServerTest : public ::testing::Test {
protected:
  void SetUp() override { lookup_.add_user("user", "pencil", random_scram_salt()); }

  Step authenticate(const std::string& text) {
    PlainServer plain(lookup_, "example.com");
    return plain.step(message(text));
  }

  TestLookup lookup_;
};

TEST_F(PlainServerTest, RightPasswordSucceedsWithoutAdditionalData) {
  const Step result = authenticate(std::string("\0user\0pencil", 12));
  const auto* success = std::get_if<Success>(&result);
  ASSERT_NE(success, nullptr);
  EXPECT_EQ(success->username, "user");
  EXPECT_TRUE(success->additional_data.empty());
}

TEST_F(PlainServerTest, WrongPasswordAndUnknownUserFailAlike) {
  EXPECT_EQ(failure_of(authenticate(std::string("\0user\0pencil2", 13))),
            Condition::not_authorized);
  EXPECT_EQ(failure_of(authenticate(std::string("\0nobody\0pencil", 14))),
            Condition::not_authorized);
}

TEST_F(PlainServerTest, OnlyAWrongPasswordCountsAsRefusedCredentials) {
  EXPECT_TRUE(refuses_credentials(authenticate(std::string("\0user\0pencil2", 13))));
  EXPECT_TRUE(refuses_credentials(authenticate(std::string("\0nobody\0pencil", 14))));
  EXPECT_FALSE(refuses_credentials(authenticate(std::string("user\0pencil", 11))));
  lookup_.set_unavailable(true);
  EXPECT_FALSE(refuses_credentials(authenticate(std::string("\0user\0pencil2", 13))));
}

TEST_F(PlainServerTest, AuthzidMayOnlyNameTheUserThemselves) {
  EXPECT_TRUE(std::holds_alternative<Success>(
      authenticate(std::string("user@example.com\0user\0pencil", 28))));
  EXPECT_TRUE(std::holds_alternative<Success>(authenticate(std::string("user\0user\0pencil", 16))));
  EXPECT_EQ(failure_of(authenticate(std::string("admin@example.com\0user\0pencil", 29))),
            Condition::invalid_authzid);
  EXPECT_EQ(failure_of(authenticate(std::string("user@example.com/phone\0user\0pencil", 34))),
            Condition::invalid_authzid);
}

TEST_F(PlainServerTest, PasswordIsSaslpreppedBeforeTheCheck) {
  lookup_.add_user("spaced", "pen cil", random_scram_salt());
  // U+00A0 NO-BREAK SPACE is mapped to U+0020 (RFC 4013 §2.1), U+00AD to nothing.
  EXPECT_TRUE(std::holds_alternative<Success>(authenticate(std::string("\0spaced\0pen\xc2\xa0"
                                                                       "ci\xc2\xadl",
                                                                       18))));
  // A control character is prohibited output (RFC 4013 §2.3).
  EXPECT_EQ(failure_of(authenticate(std::string("\0user\0pen\x07"
                                                "cil",
                                                13))),
            Condition::malformed_request);
}

TEST_F(PlainServerTest, StoreOutageAndAccountStateAreReported) {
  lookup_.set_state("user", AccountState::disabled);
  EXPECT_EQ(failure_of(authenticate(std::string("\0user\0wrong", 11))), Condition::not_authorized);
  EXPECT_EQ(failure_of(authenticate(std::string("\0user\0pencil", 12))),
            Condition::account_disabled);
  lookup_.set_unavailable(true);
  EXPECT_EQ(failure_of(authenticate(std::string("\0user\0pencil", 12))),
            Condition::temporary_auth_failure);
}

TEST_F(PlainServerTest, SecondStepFails) {
  PlainServer plain(lookup_, "example.com");
  const std::string text("\0user\0pencil", 12);
  ASSERT_TRUE(std::holds_alternative<Success>(plain.step(message(text))));
  EXPECT_EQ(failure_of(plain.step(message(text))), Condition::malformed_request);
}

} // namespace
} // namespace starling::xmpp::sasl
