// Tests of SCRAM secrets against the RFC 5802 and RFC 7677 examples, and their RFC 5803 form.
#include <array>
#include <string>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/base64.h"
#include "directory/scram_secret.h"

namespace starling::directory {
namespace {

std::string unbase64(const std::string& text) {
  const auto bytes = core::decode_base64(text).value();
  return {bytes.begin(), bytes.end()};
}

std::string base64(const std::string& bytes) {
  return core::encode_base64({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

// ServerSignature = HMAC(ServerKey, AuthMessage), which the RFC examples give as v=.
std::string server_signature(const ScramSecret& secret, const std::string& auth_message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  HMAC(secret.hash == ScramHash::sha1 ? EVP_sha1() : EVP_sha256(), secret.server_key.data(),
       static_cast<int>(secret.server_key.size()),
       reinterpret_cast<const unsigned char*>(auth_message.data()), auth_message.size(), out.data(),
       &size);
  return base64(std::string(reinterpret_cast<const char*>(out.data()), size));
}

TEST(ScramSecret, MatchesTheRfc5802Sha1Example) {
  const auto secret =
      derive_scram_secret(ScramHash::sha1, "pencil", unbase64("QSXCR+Q6sek8bf92"), 4096);
  const std::string nonce = "fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j";
  const std::string auth_message = "n=user,r=fyko+d2lbbFgONRv9qkxdawL,r=" + nonce +
                                   ",s=QSXCR+Q6sek8bf92,i=4096,c=biws,r=" + nonce;
  EXPECT_EQ(server_signature(secret, auth_message), "rmF9pqV8S7suAoZWja4dJRkFsKQ=");
}

TEST(ScramSecret, MatchesTheRfc7677Sha256Example) {
  const auto secret =
      derive_scram_secret(ScramHash::sha256, "pencil", unbase64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
  const std::string nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  const std::string auth_message = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=" + nonce +
                                   ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=" + nonce;
  EXPECT_EQ(server_signature(secret, auth_message), "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
}

TEST(ScramSecret, SurvivesItsRfc5803TextForm) {
  const auto secret = make_scram_secret(ScramHash::sha256, "correct horse");
  const std::string text = encode_scram_secret(secret);
  EXPECT_TRUE(text.starts_with("SCRAM-SHA-256$10000:")) << text;
  EXPECT_EQ(decode_scram_secret(text), secret);
  const auto sha1 = make_scram_secret(ScramHash::sha1, "correct horse");
  EXPECT_EQ(decode_scram_secret(encode_scram_secret(sha1)), sha1);
}

TEST(ScramSecret, GivesEachSecretItsOwnSalt) {
  EXPECT_NE(make_scram_secret(ScramHash::sha256, "same").salt,
            make_scram_secret(ScramHash::sha256, "same").salt);
}

TEST(ScramSecret, RefusesTextThatIsNotTheRfc5803Form) {
  EXPECT_FALSE(decode_scram_secret(""));
  EXPECT_FALSE(decode_scram_secret("SCRAM-MD5$4096:QSXCR+Q6sek8bf92$AAAA:AAAA"));
  EXPECT_FALSE(decode_scram_secret("SCRAM-SHA-1$4096:QSXCR+Q6sek8bf92$AAAA:AAAA")); // short keys
  EXPECT_FALSE(decode_scram_secret("SCRAM-SHA-1$x:QSXCR+Q6sek8bf92$AAAA:AAAA"));
  EXPECT_FALSE(decode_scram_secret("SCRAM-SHA-1$0:QSXCR+Q6sek8bf92$AAAA:AAAA"));
  const auto secret = make_scram_secret(ScramHash::sha1, "pw");
  std::string text = encode_scram_secret(secret);
  text.back() = '!';
  EXPECT_FALSE(decode_scram_secret(text));
}

} // namespace
} // namespace starling::directory
