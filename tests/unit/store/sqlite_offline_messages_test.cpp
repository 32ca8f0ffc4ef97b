// XMPP offline messages in the SQLite store: kept in arrival order per user, across restarts.

#include <gtest/gtest.h>

#include "temp_store_test.h"

namespace starling::store {
namespace {

class SqliteOfflineMessagesTest : public TempStoreTest {
protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    alice_ = add_user("alice");
    bob_ = add_user("bob");
  }

  Id add(Id user, const std::string& stanza, UnixTime stored_at = 1'700'000'000) {
    auto added = store_->add_offline_message(user, stanza, stored_at);
    EXPECT_TRUE(added.has_value()) << (added ? "" : added.error().message);
    return added.value_or(0);
  }

  // The stanzas of all waiting messages, in the order the store lists them.
  std::vector<std::string> stanzas() {
    const auto listed = store_->list_offline_messages();
    EXPECT_TRUE(listed.has_value()) << (listed ? "" : listed.error().message);
    std::vector<std::string> result;
    for (const auto& message : listed.value_or(std::vector<OfflineMessage>{})) {
      result.push_back(message.stanza);
    }
    return result;
  }

  Id alice_ = 0;
  Id bob_ = 0;
};

TEST_F(SqliteOfflineMessagesTest, MessagesAreListedInArrivalOrderWithWhatWasStored) {
  const Id first = add(alice_, "<message to='alice@example.com'><body>1</body></message>", 100);
  const Id second = add(bob_, "<message to='bob@example.com'><body>2</body></message>", 101);
  const Id third = add(alice_, "<message to='alice@example.com'><body>3</body></message>", 102);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);

  const auto listed = store_->list_offline_messages();
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 3U);
  const OfflineMessage& message = listed->front();
  EXPECT_EQ(message.id, first);
  EXPECT_EQ(message.user_id, alice_);
  EXPECT_EQ(message.stanza, "<message to='alice@example.com'><body>1</body></message>");
  EXPECT_EQ(message.stored_at, 100);
  EXPECT_EQ((*listed)[1].id, second);
  EXPECT_EQ((*listed)[1].user_id, bob_);
  EXPECT_EQ((*listed)[2].id, third);
  EXPECT_EQ((*listed)[2].stored_at, 102);
}

// The server takes a user's queue, delivers it, then removes up to the last id it took: a
// message that arrived in between must still be there for the next login.
TEST_F(SqliteOfflineMessagesTest, RemovingUpToAnIdKeepsLaterMessagesAndOtherUsersMessages) {
  add(alice_, "a1");
  const Id taken = add(alice_, "a2");
  add(bob_, "b1");
  add(alice_, "a3");

  ASSERT_TRUE(store_->remove_offline_messages(alice_, taken));
  EXPECT_EQ(stanzas(), (std::vector<std::string>{"b1", "a3"}));
}

TEST_F(SqliteOfflineMessagesTest, RemovingWhenNothingIsLeftIsNoError) {
  const Id only = add(alice_, "a1");
  ASSERT_TRUE(store_->remove_offline_messages(alice_, only));
  EXPECT_TRUE(store_->remove_offline_messages(alice_, only));
  EXPECT_TRUE(store_->remove_offline_messages(9999, only));
  EXPECT_TRUE(stanzas().empty());
}

TEST_F(SqliteOfflineMessagesTest, RemovingAUserRemovesTheirMessages) {
  add(alice_, "a1");
  add(bob_, "b1");
  ASSERT_TRUE(store_->remove_user(alice_));
  EXPECT_EQ(stanzas(), std::vector<std::string>{"b1"});
}

TEST_F(SqliteOfflineMessagesTest, AMessageForAnUnknownUserIsRefused) {
  const auto added = store_->add_offline_message(9999, "<message/>", 100);
  ASSERT_FALSE(added.has_value());
  EXPECT_EQ(added.error().kind, StoreError::Kind::conflict);
  EXPECT_TRUE(stanzas().empty());
}

// Signalling reloads its dial plan whenever the revision moves; chat traffic must not cause it.
TEST_F(SqliteOfflineMessagesTest, AddingAndRemovingMessagesLeavesTheDirectoryRevision) {
  const auto before = store_->revision();
  ASSERT_TRUE(before.has_value());
  const Id added = add(alice_, "a1");
  EXPECT_EQ(*store_->revision(), *before);
  ASSERT_TRUE(store_->remove_offline_messages(alice_, added));
  EXPECT_EQ(*store_->revision(), *before);
}

TEST_F(SqliteOfflineMessagesTest, MessagesSurviveReopening) {
  const Id added = add(alice_, "<message><body>still here</body></message>", 100);
  reopen();

  const auto listed = store_->list_offline_messages();
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ(listed->front().id, added);
  EXPECT_EQ(listed->front().user_id, alice_);
  EXPECT_EQ(listed->front().stanza, "<message><body>still here</body></message>");
  EXPECT_EQ(listed->front().stored_at, 100);
}

} // namespace
} // namespace starling::store
