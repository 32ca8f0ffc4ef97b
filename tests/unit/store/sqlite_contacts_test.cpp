// Personal contacts in the SQLite store: kept per user, never reachable by another.
#include <filesystem>

#include <gtest/gtest.h>
#include <unistd.h>

#include "store/open_store.h"

namespace starling::store {
namespace {

class SqliteContactsTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-contacts-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    auto opened = open_store({}, data_dir_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
    alice_ = store_->add_user({"alice", "", Role::user, "x"})->id;
    bob_ = store_->add_user({"bob", "", Role::user, "x"})->id;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  Contact add(Id user, const std::string& name) {
    Contact contact;
    contact.user_id = user;
    contact.name = name;
    contact.company = "Acme; Inc.";
    contact.numbers = {{"mobile", "+41 79 123 45 67"}, {"work", "044 555 12 12"}};
    contact.email = name + "@example.com";
    contact.notes = "met at\nthe fair";
    auto added = store_->add_contact(contact);
    EXPECT_TRUE(added.has_value()) << (added ? "" : added.error().message);
    return added.value_or(Contact{});
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<Store> store_;
  Id alice_ = 0;
  Id bob_ = 0;
};

TEST_F(SqliteContactsTest, AnAddedContactIsFoundWithItsNumbersInOrder) {
  const auto added = add(alice_, "Zoe Meier");
  EXPECT_GT(added.id, 0);
  EXPECT_GT(added.created_at, 0);
  EXPECT_EQ(added.updated_at, added.created_at);

  const auto found = store_->find_contact(alice_, added.id);
  ASSERT_TRUE(found.has_value() && found->has_value());
  const Contact& contact = **found;
  EXPECT_EQ(contact.name, "Zoe Meier");
  EXPECT_EQ(contact.company, "Acme; Inc.");
  EXPECT_EQ(contact.email, "Zoe Meier@example.com");
  EXPECT_EQ(contact.notes, "met at\nthe fair");
  ASSERT_EQ(contact.numbers.size(), 2U);
  EXPECT_EQ(contact.numbers[0].type, "mobile");
  EXPECT_EQ(contact.numbers[0].number, "+41 79 123 45 67");
  EXPECT_EQ(contact.numbers[1].type, "work");
}

TEST_F(SqliteContactsTest, EachUserListsOnlyTheirOwnContactsByName) {
  add(alice_, "zoe");
  add(alice_, "Anna");
  add(bob_, "Carl");
  const auto listed = store_->list_contacts(alice_);
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].name, "Anna");
  EXPECT_EQ((*listed)[1].name, "zoe");
  EXPECT_EQ(store_->list_contacts(bob_)->size(), 1U);
}

TEST_F(SqliteContactsTest, AnotherUsersContactCannotBeReadChangedOrRemoved) {
  auto contact = add(alice_, "Zoe");
  EXPECT_FALSE(store_->find_contact(bob_, contact.id)->has_value());

  contact.user_id = bob_;
  contact.name = "taken over";
  const auto updated = store_->update_contact(contact);
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().kind, StoreError::Kind::not_found);

  const auto removed = store_->remove_contact(bob_, contact.id);
  ASSERT_FALSE(removed.has_value());
  EXPECT_EQ(removed.error().kind, StoreError::Kind::not_found);
  EXPECT_EQ((*store_->find_contact(alice_, contact.id))->name, "Zoe");
}

TEST_F(SqliteContactsTest, AnUpdateReplacesTheFieldsAndNumbers) {
  auto contact = add(alice_, "Zoe");
  contact.name = "Zoe Meier";
  contact.company.clear();
  contact.numbers = {{"home", "123"}};
  const auto updated = store_->update_contact(contact);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->name, "Zoe Meier");
  EXPECT_EQ(updated->company, "");
  ASSERT_EQ(updated->numbers.size(), 1U);
  EXPECT_EQ(updated->numbers[0].type, "home");
  EXPECT_EQ(updated->created_at, contact.created_at);
}

TEST_F(SqliteContactsTest, RemovingAContactOrItsUserRemovesIt) {
  const auto first = add(alice_, "Zoe");
  const auto second = add(alice_, "Anna");
  ASSERT_TRUE(store_->remove_contact(alice_, first.id));
  EXPECT_FALSE(store_->find_contact(alice_, first.id)->has_value());

  ASSERT_TRUE(store_->remove_user(alice_));
  EXPECT_FALSE(store_->find_contact(alice_, second.id)->has_value());
  EXPECT_TRUE(store_->list_contacts(alice_)->empty());
}

TEST_F(SqliteContactsTest, AContactNeedsAnExistingUser) {
  Contact orphan;
  orphan.user_id = 999;
  orphan.name = "nobody's";
  const auto added = store_->add_contact(orphan);
  ASSERT_FALSE(added.has_value());
  EXPECT_EQ(added.error().kind, StoreError::Kind::conflict);
}

} // namespace
} // namespace starling::store
