// Tests of the strict base64 and SASL data coding of the XMPP wire (RFC 6120 §6.4.2).
#include <gtest/gtest.h>

#include "xmpp/sasl/base64.h"
#include "xmpp/sasl/scram_crypto.h"

namespace starling::xmpp::sasl {
namespace {

std::string text_of(const std::vector<std::uint8_t>& bytes) {
  return {bytes.begin(), bytes.end()};
}

TEST(Base64, EncodesAndDecodesTheRfc4648TestVectors) {
  const std::vector<std::pair<std::string_view, std::string_view>> vectors{
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(encode_base64(as_bytes(plain)), encoded);
    const auto decoded = decode_base64(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(text_of(*decoded), plain);
  }
}

TEST(Base64, RoundTripsEveryByteValue) {
  std::vector<std::uint8_t> all(256);
  for (std::size_t i = 0; i < all.size(); ++i) {
    all[i] = static_cast<std::uint8_t>(i);
  }
  EXPECT_EQ(decode_base64(encode_base64(all)), all);
}

TEST(Base64, RefusesAnythingButTheCanonicalPaddedForm) {
  for (const std::string_view bad :
       {"Zg", "Zg=", "Zm9", "Z===", "====", "Zg==Zg==", "Zm=v", "Zm9v\n", " Zm9v", "Zm9v YmFy",
        "Zh==", "Zm9=", "Zm-v", "Zm_v", "Zm9v=", "="}) {
    EXPECT_FALSE(decode_base64(bad)) << bad;
  }
}

TEST(SaslData, EqualsSignStandsForZeroLengthData) {
  EXPECT_EQ(encode_sasl_data({}), "=");
  EXPECT_EQ(encode_sasl_data(as_bytes("foo")), "Zm9v");
  EXPECT_EQ(decode_sasl_data("="), std::vector<std::uint8_t>{});
  EXPECT_EQ(text_of(decode_sasl_data("Zm9v").value()), "foo");
}

TEST(SaslData, BadBase64IsIncorrectEncoding) {
  EXPECT_EQ(decode_sasl_data("Zm9v!").error(), Condition::incorrect_encoding);
  EXPECT_EQ(decode_sasl_data("Zm 9v").error(), Condition::incorrect_encoding);
  EXPECT_EQ(decode_sasl_data(std::string(kMaxSaslTextLength + 4, 'A')).error(),
            Condition::malformed_request);
}

TEST(Conditions, AreNamedAsRfc6120Elements) {
  EXPECT_EQ(to_string(Condition::not_authorized), "not-authorized");
  EXPECT_EQ(to_string(Condition::temporary_auth_failure), "temporary-auth-failure");
  EXPECT_EQ(to_string(Condition::invalid_authzid), "invalid-authzid");
  EXPECT_EQ(to_string(Condition::mechanism_too_weak), "mechanism-too-weak");
}

} // namespace
} // namespace starling::xmpp::sasl
