#include <filesystem>

#include <gtest/gtest.h>
#include <unistd.h>

#include "directory/digest_credentials.h"
#include "directory/directory.h"
#include "directory/password_hash.h"
#include "directory/scram_secret.h"
#include "store/open_store.h"

namespace starling::directory {
namespace {

class DirectoryTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-directory-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    store_ = std::move(*store::open_store({}, data_dir_));
    directory_ = std::make_unique<Directory>(*store_, "pbx.test");
  }
  void TearDown() override {
    directory_.reset();
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Directory> directory_;
};

TEST_F(DirectoryTest, NewUserGetsAGeneratedPasswordThatIsStoredOnlyAsArgon2id) {
  auto created = directory_->add_user({"alice", "Alice", store::Role::user, {}, "201"});
  ASSERT_TRUE(created.has_value()) << created.error().message;
  ASSERT_TRUE(created->generated_password.has_value());
  const auto stored = store_->find_user("alice")->value();
  EXPECT_TRUE(verify_password(stored.password.hash, *created->generated_password));
  EXPECT_EQ(stored.password.hash.find(*created->generated_password), std::string::npos);
  EXPECT_EQ((*store_->find_extension("201"))->target_name, "alice");
}

TEST_F(DirectoryTest, GivenPasswordIsNotEchoedBack) {
  auto created =
      directory_->add_user({"bob", "", store::Role::user, std::string("long enough"), {}});
  ASSERT_TRUE(created.has_value());
  EXPECT_FALSE(created->generated_password.has_value());
}

TEST_F(DirectoryTest, InvalidInputIsRefusedBeforeAnythingIsStored) {
  EXPECT_EQ(directory_->add_user({"Bad Name", "", store::Role::user, {}, {}}).error().kind,
            Error::Kind::invalid);
  EXPECT_EQ(
      directory_->add_user({"bob", "", store::Role::user, std::string("short"), {}}).error().kind,
      Error::Kind::invalid);
  EXPECT_EQ(directory_->add_user({"bob", "", store::Role::user, {}, "12x"}).error().kind,
            Error::Kind::invalid);
  EXPECT_TRUE(directory_->users()->empty());
}

TEST_F(DirectoryTest, UserWhoseExtensionIsTakenIsNotCreated) {
  ASSERT_TRUE(directory_->add_user({"alice", "", store::Role::user, {}, "201"}));
  auto second = directory_->add_user({"bob", "", store::Role::user, {}, "201"});
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().kind, Error::Kind::conflict);
  EXPECT_FALSE(store_->find_user("bob")->has_value());
}

TEST_F(DirectoryTest, DeviceStoresHa1ForBothAlgorithmsAndNeverThePassword) {
  ASSERT_TRUE(directory_->add_user({"alice", "", store::Role::user, {}, {}}));
  auto device = directory_->add_device({"alice", std::nullopt, std::string("s3cret-pass"), ""});
  ASSERT_TRUE(device.has_value()) << device.error().message;
  EXPECT_EQ(device->row.auth_name, "alice");
  EXPECT_EQ(device->row.realm, "pbx.test");
  const auto expected = compute_ha1("alice", "pbx.test", "s3cret-pass");
  EXPECT_EQ(device->row.ha1_md5, expected.md5);
  EXPECT_EQ(device->row.ha1_sha256, expected.sha256);
}

TEST_F(DirectoryTest, SecondDeviceOfAUserGetsTheNextFreeName) {
  ASSERT_TRUE(directory_->add_user({"alice", "", store::Role::user, {}, {}}));
  ASSERT_TRUE(directory_->add_device({"alice", {}, {}, ""}));
  auto second = directory_->add_device({"alice", {}, {}, ""});
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->row.auth_name, "alice-2");
  EXPECT_TRUE(second->generated_password.has_value());
}

TEST_F(DirectoryTest, DeviceForAnUnknownUserIsNotFound) {
  auto device = directory_->add_device({"nobody", {}, {}, ""});
  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().kind, Error::Kind::not_found);
  EXPECT_EQ(device.error().message, "no user named 'nobody'");
}

TEST_F(DirectoryTest, ExtensionNeedsExactlyOneTarget) {
  ASSERT_TRUE(directory_->add_user({"alice", "", store::Role::user, {}, {}}));
  ASSERT_TRUE(directory_->add_group("sales", "Sales"));
  EXPECT_EQ(directory_->add_extension("200", std::nullopt, std::nullopt).error().kind,
            Error::Kind::invalid);
  EXPECT_EQ(directory_->add_extension("200", "alice", "sales").error().kind, Error::Kind::invalid);
  EXPECT_EQ(directory_->add_extension("200", std::nullopt, "sales")->target_name, "sales");
  EXPECT_EQ(directory_->add_extension("201", "nobody", std::nullopt).error().kind,
            Error::Kind::not_found);
  EXPECT_EQ(directory_->remove_extension("999").error().message, "no extension 999");
}

TEST_F(DirectoryTest, SetPasswordReplacesTheHash) {
  ASSERT_TRUE(directory_->add_user({"alice", "", store::Role::user, {}, {}}));
  ASSERT_TRUE(directory_->set_password("alice", "new password 1"));
  EXPECT_TRUE(verify_password(store_->find_user("alice")->value().password.hash, "new password 1"));
  EXPECT_EQ(directory_->set_password("nobody", "new password 1").error().kind,
            Error::Kind::not_found);
}

// XMPP clients log in with SCRAM, which needs keys derived from the password itself.
TEST_F(DirectoryTest, SetPasswordKeepsTheScramSecretsOfTheNewPassword) {
  ASSERT_TRUE(directory_->add_user({"alice", "", store::Role::user, {}, {}}));
  ASSERT_TRUE(directory_->set_password("alice", "new password 1"));
  const auto secrets = store_->find_user("alice")->value().password;
  for (const auto& [text, hash] : {std::pair{secrets.scram_sha1, ScramHash::sha1},
                                   std::pair{secrets.scram_sha256, ScramHash::sha256}}) {
    const auto secret = decode_scram_secret(text);
    ASSERT_TRUE(secret) << text;
    EXPECT_EQ(secret->hash, hash);
    EXPECT_EQ(*secret,
              derive_scram_secret(hash, "new password 1", secret->salt, secret->iterations));
  }
}

TEST_F(DirectoryTest, AdministratorIsCreatedOnlyWhenThereIsNone) {
  auto first = directory_->ensure_administrator();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(first->has_value());
  const auto admin = store_->find_user("admin")->value();
  EXPECT_EQ(admin.role, store::Role::admin);
  EXPECT_TRUE(verify_password(admin.password.hash, **first));
  auto second = directory_->ensure_administrator();
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(second->has_value());
}

TEST_F(DirectoryTest, GroupMembershipIsManagedByName) {
  ASSERT_TRUE(directory_->add_user({"alice", "", store::Role::user, {}, {}}));
  ASSERT_TRUE(directory_->add_group("sales", ""));
  ASSERT_TRUE(directory_->add_group_member("sales", "alice"));
  EXPECT_EQ(directory_->groups()->front().member_names, std::vector<std::string>{"alice"});
  ASSERT_TRUE(directory_->remove_group_member("sales", "alice"));
  EXPECT_EQ(directory_->remove_group_member("sales", "alice").error().kind, Error::Kind::not_found);
  EXPECT_EQ(directory_->add_group_member("nogroup", "alice").error().kind, Error::Kind::not_found);
}

TEST_F(DirectoryTest, LastAdministratorCanBeNeitherDemotedNorRemoved) {
  ASSERT_TRUE(directory_->add_user({"root", "", store::Role::admin, std::nullopt, {}}));
  EXPECT_EQ(directory_->set_role("root", store::Role::user).error().kind, Error::Kind::conflict);
  EXPECT_EQ(directory_->remove_user("root").error().kind, Error::Kind::conflict);
  ASSERT_TRUE(directory_->add_user({"second", "", store::Role::user, std::nullopt, {}}));
  ASSERT_TRUE(directory_->set_role("second", store::Role::admin));
  EXPECT_TRUE(directory_->set_role("root", store::Role::user));
  EXPECT_TRUE(directory_->remove_user("root"));
}

TEST_F(DirectoryTest, InvalidInputNamesTheFieldAtFault) {
  const auto user = directory_->add_user({"bob", "", store::Role::user, std::string("short"), {}});
  EXPECT_EQ(user.error().field, "password");
  const auto named = directory_->add_user({"a b", "", store::Role::user, std::nullopt, {}});
  EXPECT_EQ(named.error().field, "name");
}

TEST_F(DirectoryTest, DevicePasswordChangeRehashesOverTheRealm) {
  ASSERT_TRUE(directory_->add_user({"carol", "", store::Role::user, std::nullopt, {}}));
  ASSERT_TRUE(directory_->add_device({"carol", std::nullopt, std::string("first secret"), ""}));
  ASSERT_TRUE(directory_->set_device_password("carol", "second secret"));
  const auto device = **store_->find_device("carol");
  EXPECT_EQ(device.ha1_md5, compute_ha1("carol", "pbx.test", "second secret").md5);
  EXPECT_EQ(directory_->set_device_password("carol", "short").error().field, "password");
  ASSERT_TRUE(directory_->set_device_description("carol", "desk"));
  EXPECT_EQ((*store_->find_device("carol"))->description, "desk");
}

} // namespace
} // namespace starling::directory
