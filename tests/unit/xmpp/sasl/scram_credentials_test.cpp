// Tests of the SCRAM keys the mechanisms take, and of their crypto primitives.
#include <gtest/gtest.h>

#include "xmpp/sasl/authzid.h"
#include "xmpp/sasl/base64.h"
#include "xmpp/sasl/scram_credentials.h"

namespace starling::xmpp::sasl {
namespace {

TEST(ScramCredentials, HoldTheSaltIterationsAndKeysOfTheHashButNotThePassword) {
  const Bytes salt = random_scram_salt();
  for (const auto hash : {ScramHash::sha1, ScramHash::sha256}) {
    const auto credentials = make_scram_credentials(hash, "pencil", salt, 4096);
    ASSERT_TRUE(credentials);
    EXPECT_EQ(credentials->hash, hash);
    EXPECT_EQ(credentials->salt, salt);
    EXPECT_EQ(credentials->iterations, 4096U);
    EXPECT_EQ(credentials->stored_key.size(), digest_size(hash));
    EXPECT_EQ(credentials->server_key.size(), digest_size(hash));
    EXPECT_NE(credentials->stored_key, credentials->server_key);
  }
}

TEST(ScramCredentials, SameInputsGiveSameKeysAndAnyChangeGivesOthers) {
  const Bytes salt(16, 3);
  const auto base = make_scram_credentials(ScramHash::sha256, "pencil", salt, 4096);
  EXPECT_EQ(make_scram_credentials(ScramHash::sha256, "pencil", salt, 4096), base);
  EXPECT_NE(make_scram_credentials(ScramHash::sha256, "pencil!", salt, 4096), base);
  EXPECT_NE(make_scram_credentials(ScramHash::sha256, "pencil", Bytes(16, 4), 4096), base);
  EXPECT_NE(make_scram_credentials(ScramHash::sha256, "pencil", salt, 4097), base);
  // SASLprep: U+00A0 and a space give the same keys.
  EXPECT_EQ(make_scram_credentials(ScramHash::sha256,
                                   "pen\xc2\xa0"
                                   "cil",
                                   salt, 4096),
            make_scram_credentials(ScramHash::sha256, "pen cil", salt, 4096));
}

TEST(ScramCredentials, PasswordWithControlCharacterIsRefused) {
  EXPECT_EQ(make_scram_credentials(ScramHash::sha256, "pen\ncil", Bytes(16, 1)).error(),
            SaslprepError::prohibited_character);
}

TEST(ScramCredentials, TooFewIterationsOrNoSaltIsACallersMistake) {
  EXPECT_THROW((void)make_scram_credentials(ScramHash::sha1, "pencil", Bytes(16, 1), 1000),
               std::invalid_argument);
  EXPECT_THROW((void)make_scram_credentials(ScramHash::sha1, "pencil", Bytes{}, 4096),
               std::invalid_argument);
}

TEST(ScramCredentials, AreTheKeysTheDirectoryStoredForThePassword) {
  const auto secret = directory::make_scram_secret(directory::ScramHash::sha1, "pencil");
  const Bytes salt(secret.salt.begin(), secret.salt.end());
  EXPECT_EQ(scram_credentials(
                directory::decode_scram_secret(directory::encode_scram_secret(secret)).value()),
            make_scram_credentials(ScramHash::sha1, "pencil", salt, secret.iterations));
}

TEST(ScramCredentials, RandomSaltsAreSixteenBytesAndDiffer) {
  EXPECT_EQ(random_scram_salt().size(), kScramSaltLength);
  EXPECT_NE(random_scram_salt(), random_scram_salt());
}

TEST(ScramCrypto, HiMatchesTheRfc6070Pbkdf2Vector) {
  // RFC 6070 test 2: P = "password", S = "salt", c = 2.
  const Bytes salt{'s', 'a', 'l', 't'};
  EXPECT_EQ(encode_base64(scram_hi(ScramHash::sha1, "password", salt, 2)),
            "6mwBTcctb4zNHtkqzh1B8NjeiVc=");
}

TEST(Authzid, OnlyTheUsersOwnNameOrBareJidIsAllowed) {
  EXPECT_TRUE(authzid_allowed("", "juliet", "example.com"));
  EXPECT_TRUE(authzid_allowed("juliet", "juliet", "example.com"));
  EXPECT_TRUE(authzid_allowed("juliet@example.com", "juliet", "example.com"));
  EXPECT_TRUE(authzid_allowed("Juliet@Example.COM.", "juliet", "example.com"));
  EXPECT_FALSE(authzid_allowed("romeo@example.com", "juliet", "example.com"));
  EXPECT_FALSE(authzid_allowed("juliet@example.org", "juliet", "example.com"));
  EXPECT_FALSE(authzid_allowed("juliet@example.com/balcony", "juliet", "example.com"));
  EXPECT_FALSE(authzid_allowed("juliet@", "juliet", "example.com"));
  EXPECT_FALSE(authzid_allowed("juliet2", "juliet", "example.com"));
  EXPECT_FALSE(authzid_allowed("juliet@example.com", "juliet", ""));
}

} // namespace
} // namespace starling::xmpp::sasl
