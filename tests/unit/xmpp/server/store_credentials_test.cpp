// Tests of the SASL mechanisms' view of the store: SCRAM keys and password checks of the
// users the directory created.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "directory/directory.h"
#include "directory/scram_secret.h"
#include "store/open_store.h"
#include "xmpp/server/store_credentials.h"

namespace starling::xmpp::server {
namespace {

constexpr std::string_view kPassword = "correct horse battery";

class StoreCredentialsTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-store-credentials-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    auto opened = store::open_store({}, data_dir_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
    directory::Directory directory(*store_, "pbx.test");
    auto created =
        directory.add_user({"alice", "Alice", store::Role::user, std::string(kPassword), {}});
    ASSERT_TRUE(created.has_value()) << created.error().message;
    credentials_ = std::make_unique<StoreCredentials>(*store_);
  }
  void TearDown() override {
    credentials_.reset();
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  // The salt and iterations the directory chose for alice's key of this hash.
  directory::ScramSecret stored_secret(directory::ScramHash hash) {
    const auto user = store_->find_user("alice");
    EXPECT_TRUE(user.has_value() && user->has_value());
    const auto& password = (*user)->password;
    const auto secret = directory::decode_scram_secret(
        hash == directory::ScramHash::sha1 ? password.scram_sha1 : password.scram_sha256);
    EXPECT_TRUE(secret.has_value());
    return secret.value_or(directory::ScramSecret{});
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<StoreCredentials> credentials_;
};

sasl::ScramCredentials expected_credentials(sasl::ScramHash hash,
                                            const directory::ScramSecret& secret) {
  const auto* salt = reinterpret_cast<const std::uint8_t*>(secret.salt.data());
  auto made = sasl::make_scram_credentials(
      hash, kPassword, std::span<const std::uint8_t>(salt, secret.salt.size()), secret.iterations);
  EXPECT_TRUE(made.has_value());
  return made.value_or(sasl::ScramCredentials{});
}

TEST_F(StoreCredentialsTest, ScramSha256KeysAreThoseOfTheUsersPassword) {
  const auto secret = stored_secret(directory::ScramHash::sha256);
  const auto found = credentials_->scram("alice", sasl::ScramHash::sha256);
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, expected_credentials(sasl::ScramHash::sha256, secret));
  EXPECT_EQ((*found)->hash, sasl::ScramHash::sha256);
  EXPECT_EQ((*found)->iterations, directory::kScramIterations);
  EXPECT_EQ((*found)->salt.size(), secret.salt.size());
}

TEST_F(StoreCredentialsTest, ScramSha1KeysAreThoseOfTheUsersPassword) {
  const auto secret = stored_secret(directory::ScramHash::sha1);
  const auto found = credentials_->scram("alice", sasl::ScramHash::sha1);
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, expected_credentials(sasl::ScramHash::sha1, secret));
  EXPECT_EQ((*found)->hash, sasl::ScramHash::sha1);
  // The two hashes have keys of their own.
  EXPECT_NE((*found)->stored_key, expected_credentials(sasl::ScramHash::sha256,
                                                       stored_secret(directory::ScramHash::sha256))
                                      .stored_key);
}

TEST_F(StoreCredentialsTest, UnknownUserHasNoCredentials) {
  const auto found = credentials_->scram("mallory", sasl::ScramHash::sha256);
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->has_value());
}

// RFC 8265 §3.3 UsernameCaseMapped: the localpart is compared lowercased.
TEST_F(StoreCredentialsTest, UppercaseNameFindsTheLowercaseUser) {
  const auto found = credentials_->scram("ALICE", sasl::ScramHash::sha256);
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, expected_credentials(sasl::ScramHash::sha256,
                                          stored_secret(directory::ScramHash::sha256)));
  EXPECT_EQ(credentials_->check_password("Alice", kPassword), true);
}

TEST_F(StoreCredentialsTest, NameWithCharactersNoUserCanHaveNamesNobody) {
  for (const std::string_view name : {"al\u00efce", "alice@pbx.test", "alice bob", "", "alice\n"}) {
    const auto found = credentials_->scram(name, sasl::ScramHash::sha256);
    ASSERT_TRUE(found.has_value()) << name;
    EXPECT_FALSE(found->has_value()) << name;
    EXPECT_EQ(credentials_->check_password(name, kPassword), false) << name;
  }
}

TEST_F(StoreCredentialsTest, CheckPasswordAcceptsOnlyTheUsersPassword) {
  EXPECT_EQ(credentials_->check_password("alice", kPassword), true);
  EXPECT_EQ(credentials_->check_password("alice", "wrong password"), false);
  EXPECT_EQ(credentials_->check_password("alice", ""), false);
  EXPECT_EQ(credentials_->check_password("mallory", kPassword), false);
}

TEST_F(StoreCredentialsTest, UserWithoutScramSecretsHasNoScramCredentialsButCanUsePlain) {
  const auto stored = store_->find_user("alice");
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  auto bob = store_->add_user({"bob",
                               "",
                               store::Role::user,
                               {(*stored)->password.hash, /*scram_sha1=*/"", /*scram_sha256=*/""}});
  ASSERT_TRUE(bob.has_value());
  const auto found = credentials_->scram("bob", sasl::ScramHash::sha256);
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->has_value());
  EXPECT_EQ(credentials_->check_password("bob", kPassword), true);
}

} // namespace
} // namespace starling::xmpp::server
