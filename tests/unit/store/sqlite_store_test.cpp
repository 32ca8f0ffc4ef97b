#include <array>
#include <filesystem>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store/open_store.h"

namespace starling::store {
namespace {

class SqliteStoreTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-store-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    store_ = open();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  std::unique_ptr<Store> open() {
    auto opened = open_store({}, data_dir_);
    EXPECT_TRUE(opened.has_value()) << (opened ? "" : opened.error().message);
    return opened ? std::move(*opened) : nullptr;
  }

  User add_user(const std::string& name, Role role = Role::user) {
    auto user = store_->add_user({name, "", role, "$argon2id$hash"});
    EXPECT_TRUE(user.has_value());
    return user.value_or(User{});
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, CreatesTheDatabaseInTheDataDirectory) {
  EXPECT_TRUE(std::filesystem::exists(data_dir_ / "starling.db"));
}

TEST_F(SqliteStoreTest, AddedUserCanBeFoundAndListed) {
  const auto alice = add_user("alice", Role::admin);
  EXPECT_GT(alice.id, 0);
  EXPECT_GT(alice.created_at, 0);
  auto found = store_->find_user("alice");
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->role, Role::admin);
  EXPECT_EQ((*found)->password.hash, "$argon2id$hash");
  EXPECT_EQ(store_->list_users()->size(), 1U);
  EXPECT_EQ(*store_->count_users(Role::admin), 1U);
  EXPECT_EQ(*store_->count_users(Role::user), 0U);
  EXPECT_FALSE(store_->find_user("bob")->has_value());
}

TEST_F(SqliteStoreTest, DuplicateUserNameIsAConflictWhateverItsCase) {
  add_user("alice");
  auto again = store_->add_user({"ALICE", "", Role::user, "x"});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().kind, StoreError::Kind::conflict);
  EXPECT_EQ(again.error().message, "a user named 'ALICE' already exists");
}

TEST_F(SqliteStoreTest, RemovingAUserRemovesItsDevicesExtensionsAndMemberships) {
  const auto alice = add_user("alice");
  ASSERT_TRUE(store_->add_device({alice.id, "alice", "starling", "md5", "sha", ""}));
  ASSERT_TRUE(store_->add_extension({"201", alice.id, std::nullopt, ""}));
  const auto group = store_->add_group("sales", "Sales");
  ASSERT_TRUE(group);
  ASSERT_TRUE(store_->add_group_member(group->id, alice.id));

  ASSERT_TRUE(store_->remove_user(alice.id));
  EXPECT_TRUE(store_->list_devices()->empty());
  EXPECT_TRUE(store_->list_extensions()->empty());
  EXPECT_TRUE((*store_->find_group("sales"))->member_names.empty());
}

TEST_F(SqliteStoreTest, RemovingSomethingThatIsNotThereIsNotFound) {
  EXPECT_EQ(store_->remove_user(42).error().kind, StoreError::Kind::not_found);
  EXPECT_EQ(store_->remove_device(42).error().kind, StoreError::Kind::not_found);
  EXPECT_EQ(store_->remove_extension("999").error().kind, StoreError::Kind::not_found);
  EXPECT_EQ(store_->set_password(42, {"x", "", ""}).error().kind, StoreError::Kind::not_found);
}

TEST_F(SqliteStoreTest, DeviceKeepsItsHa1HashesAndUserName) {
  const auto alice = add_user("alice");
  auto added = store_->add_device({alice.id, "alice-desk", "pbx", "aa", "bb", "desk phone"});
  ASSERT_TRUE(added.has_value());
  EXPECT_EQ(added->user_name, "alice");
  auto found = store_->find_device("alice-desk");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->realm, "pbx");
  EXPECT_EQ((*found)->ha1_md5, "aa");
  EXPECT_EQ((*found)->ha1_sha256, "bb");
  EXPECT_EQ((*found)->description, "desk phone");
}

TEST_F(SqliteStoreTest, DeviceNamesAreUniqueAndNeedAUser) {
  const auto alice = add_user("alice");
  ASSERT_TRUE(store_->add_device({alice.id, "phone", "r", "a", "b", ""}));
  EXPECT_EQ(store_->add_device({alice.id, "phone", "r", "a", "b", ""}).error().kind,
            StoreError::Kind::conflict);
  EXPECT_EQ(store_->add_device({alice.id + 100, "other", "r", "a", "b", ""}).error().kind,
            StoreError::Kind::conflict);
}

TEST_F(SqliteStoreTest, ExtensionLeadsToExactlyOneUserOrGroup) {
  const auto alice = add_user("alice");
  const auto sales = store_->add_group("sales", "");
  ASSERT_TRUE(sales);
  auto to_user = store_->add_extension({"201", alice.id, std::nullopt, ""});
  ASSERT_TRUE(to_user);
  EXPECT_EQ(to_user->target_name, "alice");
  auto to_group = store_->add_extension({"300", std::nullopt, sales->id, ""});
  ASSERT_TRUE(to_group);
  EXPECT_EQ(to_group->target_name, "sales");
  EXPECT_EQ(store_->add_extension({"400", alice.id, sales->id, ""}).error().kind,
            StoreError::Kind::conflict);
  EXPECT_EQ(store_->add_extension({"201", std::nullopt, sales->id, ""}).error().kind,
            StoreError::Kind::conflict);
  const auto all = store_->list_extensions();
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ(all->front().number, "201");
}

TEST_F(SqliteStoreTest, GroupMembersAreListedByName) {
  const auto bob = add_user("bob");
  const auto alice = add_user("alice");
  const auto group = store_->add_group("sales", "Sales team");
  ASSERT_TRUE(store_->add_group_member(group->id, bob.id));
  ASSERT_TRUE(store_->add_group_member(group->id, alice.id));
  EXPECT_EQ(store_->add_group_member(group->id, alice.id).error().kind, StoreError::Kind::conflict);
  const auto found = store_->find_group("sales");
  EXPECT_EQ((*found)->member_names, (std::vector<std::string>{"alice", "bob"}));
  ASSERT_TRUE(store_->remove_group_member(group->id, bob.id));
  EXPECT_EQ((*store_->list_groups()).front().member_names, std::vector<std::string>{"alice"});
}

TEST_F(SqliteStoreTest, DataSurvivesReopeningAndMigrationsRunOnce) {
  add_user("alice");
  store_.reset();
  store_ = open();
  ASSERT_TRUE(store_);
  EXPECT_TRUE(store_->find_user("alice")->has_value());
}

TEST_F(SqliteStoreTest, TwoConnectionsToOneFileSeeEachOthersCommits) {
  auto second = open();
  add_user("alice");
  EXPECT_TRUE(second->find_user("alice")->has_value());
  ASSERT_TRUE(second->add_user({"bob", "", Role::user, "x"}));
  EXPECT_TRUE(store_->find_user("bob")->has_value());
}

TEST_F(SqliteStoreTest, DatabaseFromANewerStarlingIsRefused) {
  store_.reset();
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir_ / "starling.db").c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  auto opened = open_store({}, data_dir_);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().kind, StoreError::Kind::incompatible);
  EXPECT_NE(opened.error().message.find("newer"), std::string::npos);
}

Binding binding(const std::string& aor, const std::string& contact) {
  return Binding{.aor = aor,
                 .contact = contact,
                 .call_id = "call-1@phone",
                 .transport = "tcp",
                 .source_address = "192.0.2.10",
                 .local_address = "::",
                 .path = "<sip:edge.example;lr>",
                 .instance_id = "<urn:uuid:1>",
                 .user_agent = "Phone/1.0",
                 .expires_at = 1'900'000'000,
                 .cseq = 7,
                 .q = 500,
                 .source_port = 40123,
                 .local_port = 5060};
}

TEST_F(SqliteStoreTest, BindingsAreReplacedPerAorAndSurviveReopening) {
  const std::vector<AorBindings> first = {{"alice",
                                           {binding("alice", "sip:alice@192.0.2.10:40123"),
                                            binding("alice", "sip:alice@198.51.100.7")}},
                                          {"bob", {binding("bob", "sip:bob@192.0.2.20")}}};
  ASSERT_TRUE(store_->replace_bindings(first, Durability::power_loss));
  const std::vector<AorBindings> second = {{"alice", {binding("alice", "sip:alice@203.0.113.5")}},
                                           {"bob", {}}};
  ASSERT_TRUE(store_->replace_bindings(second, Durability::process_crash));
  store_.reset();
  store_ = open();
  const auto all = store_->list_bindings();
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 1U);
  const auto& kept = all->front();
  EXPECT_EQ(kept.contact, "sip:alice@203.0.113.5");
  EXPECT_EQ(kept.cseq, 7U);
  EXPECT_EQ(kept.expires_at, 1'900'000'000);
  EXPECT_EQ(kept.q, 500);
  EXPECT_EQ(kept.transport, "tcp");
  EXPECT_EQ(kept.source_address, "192.0.2.10");
  EXPECT_EQ(kept.source_port, 40123);
  EXPECT_EQ(kept.local_port, 5060);
  EXPECT_EQ(kept.path, "<sip:edge.example;lr>");
  EXPECT_EQ(kept.instance_id, "<urn:uuid:1>");
  EXPECT_EQ(kept.user_agent, "Phone/1.0");
}

TEST_F(SqliteStoreTest, RevisionMovesWhenAnotherConnectionCommits) {
  auto other = open();
  const auto before = store_->revision();
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(*store_->revision(), *before);
  ASSERT_TRUE(other->add_user({"carol", "", Role::user, "x"}));
  EXPECT_NE(*store_->revision(), *before);
}

// The REST API writes through the serving process's own connection; SIP must still notice.
TEST_F(SqliteStoreTest, RevisionMovesWhenThisConnectionWrites) {
  const auto before = store_->revision();
  ASSERT_TRUE(before.has_value());
  ASSERT_TRUE(store_->add_user({"dave", "", Role::user, "x"}));
  EXPECT_NE(*store_->revision(), *before);
}

// Registrations and call records change all the time; reloading the directory for them
// would cost a busy PBX a full read of every device each second.
TEST_F(SqliteStoreTest, RevisionStaysWhenOnlyRegistrationsChange) {
  const auto before = store_->revision();
  ASSERT_TRUE(before.has_value());
  Binding binding;
  binding.aor = "sip:alice@starling";
  binding.contact = "sip:alice@192.0.2.1";
  const std::array changes{AorBindings{binding.aor, {binding}}};
  ASSERT_TRUE(store_->replace_bindings(changes, Durability::process_crash));
  EXPECT_EQ(*store_->revision(), *before);
}

TEST_F(SqliteStoreTest, PostgresqlUrlIsRefusedWithAHint) {
  auto opened = open_store({"postgresql://db/starling"}, data_dir_);
  ASSERT_FALSE(opened.has_value());
  EXPECT_NE(opened.error().message.find("store.url"), std::string::npos);
}

TEST_F(SqliteStoreTest, UnwritableLocationIsUnavailable) {
  auto opened = open_store({"sqlite:/proc/starling/starling.db"}, data_dir_);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().kind, StoreError::Kind::unavailable);
}

} // namespace
} // namespace starling::store
