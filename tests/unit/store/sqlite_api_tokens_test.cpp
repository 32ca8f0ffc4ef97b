#include <filesystem>

#include <gtest/gtest.h>
#include <unistd.h>

#include "store/open_store.h"

namespace starling::store {
namespace {

class SqliteApiTokensTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-tokens-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    store_ = std::move(*open_store({}, data_dir_));
    alice_ = *store_->add_user({"alice", "", Role::user, "$argon2id$hash"});
    bob_ = *store_->add_user({"bob", "", Role::user, "$argon2id$hash"});
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<Store> store_;
  User alice_;
  User bob_;
};

TEST_F(SqliteApiTokensTest, TokenIsFoundByItsHashWithItsScopesAndUser) {
  const auto added =
      store_->add_api_token({alice_.id, "backup", "aa11", {"directory:read", "calls:read"}});
  ASSERT_TRUE(added.has_value()) << added.error().message;
  const auto found = store_->find_api_token("aa11");
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->user_name, "alice");
  EXPECT_EQ((*found)->name, "backup");
  EXPECT_EQ((*found)->scopes, (std::vector<std::string>{"directory:read", "calls:read"}));
  EXPECT_EQ((*found)->last_used_at, 0);
  EXPECT_FALSE(store_->find_api_token("bb22")->has_value());
}

TEST_F(SqliteApiTokensTest, ListsOneUsersTokensOrAll) {
  ASSERT_TRUE(store_->add_api_token({alice_.id, "a", "h1", {"directory:read"}}));
  ASSERT_TRUE(store_->add_api_token({bob_.id, "b", "h2", {"directory:read"}}));
  EXPECT_EQ(store_->list_api_tokens(alice_.id)->size(), 1U);
  EXPECT_EQ(store_->list_api_tokens(std::nullopt)->size(), 2U);
}

TEST_F(SqliteApiTokensTest, LastUseIsRecordedAndRemovalIsFinal) {
  const auto token = *store_->add_api_token({alice_.id, "a", "h1", {"directory:read"}});
  ASSERT_TRUE(store_->set_api_token_used(token.id, 1'767'225'600));
  EXPECT_EQ((*store_->find_api_token("h1"))->last_used_at, 1'767'225'600);
  ASSERT_TRUE(store_->remove_api_token(token.id));
  EXPECT_EQ(store_->remove_api_token(token.id).error().kind, StoreError::Kind::not_found);
}

TEST_F(SqliteApiTokensTest, RemovingAUserRemovesTheirTokens) {
  ASSERT_TRUE(store_->add_api_token({alice_.id, "a", "h1", {"directory:read"}}));
  ASSERT_TRUE(store_->remove_user(alice_.id));
  EXPECT_TRUE(store_->list_api_tokens(std::nullopt)->empty());
}

TEST_F(SqliteApiTokensTest, SameSecretHashTwiceIsAConflict) {
  ASSERT_TRUE(store_->add_api_token({alice_.id, "a", "h1", {"directory:read"}}));
  EXPECT_EQ(store_->add_api_token({bob_.id, "b", "h1", {"directory:read"}}).error().kind,
            StoreError::Kind::conflict);
}

TEST_F(SqliteApiTokensTest, UserDisplayNameRoleAndDeviceDescriptionCanBeChanged) {
  ASSERT_TRUE(store_->update_user(alice_.id, "Alice", Role::admin));
  const auto alice = **store_->find_user("alice");
  EXPECT_EQ(alice.display_name, "Alice");
  EXPECT_EQ(alice.role, Role::admin);
  const auto device = *store_->add_device({alice_.id, "alice", "pbx", "md5", "sha", "desk"});
  ASSERT_TRUE(store_->set_device_description(device.id, "softphone"));
  ASSERT_TRUE(store_->set_device_credentials(device.id, "pbx2", "md5b", "shab"));
  const auto changed = **store_->find_device("alice");
  EXPECT_EQ(changed.description, "softphone");
  EXPECT_EQ(changed.realm, "pbx2");
  EXPECT_EQ(changed.ha1_md5, "md5b");
  EXPECT_EQ(store_->update_user(9999, "x", Role::user).error().kind, StoreError::Kind::not_found);
}

} // namespace
} // namespace starling::store
