// XMPP message archives in the SQLite store: paged in archiving order, filtered, trimmed by
// retention and removed with their user.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "temp_store_test.h"

namespace starling::store {
namespace {

class SqliteXmppArchiveTest : public TempStoreTest {
protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    alice_ = add_user("alice");
    bob_ = add_user("bob");
  }

  // Archives "<body>" with `with` in `user`'s archive under the archive id `id`.
  void add(Id user, const std::string& id, const std::string& with, UnixTime stored_at = 1000) {
    auto added =
        store_->add_archived_message({.archive_id = id,
                                      .user_id = user,
                                      .with_jid = with,
                                      .stanza = "<message><body>" + id + "</body></message>",
                                      .stored_at = stored_at});
    EXPECT_TRUE(added.has_value()) << (added ? "" : added.error().message);
  }

  // Archives a group chat message of `nick` in `room`'s archive under the archive id `id`.
  void add_to_room(const std::string& room, const std::string& id, const std::string& nick,
                   UnixTime stored_at = 1000) {
    auto added = store_->add_archived_message(
        {.archive_id = id,
         .room = room,
         .with_jid = room + "@conference.example.com/" + nick,
         .stanza = "<message type='groupchat'><body>" + id + "</body></message>",
         .stored_at = stored_at});
    EXPECT_TRUE(added.has_value()) << (added ? "" : added.error().message);
  }

  // The archive ids of the page, oldest first.
  static std::vector<std::string> ids(const ArchivePage& page) {
    std::vector<std::string> result;
    for (const auto& message : page.messages) {
      result.push_back(message.archive_id);
    }
    return result;
  }

  ArchivePage query(ArchiveQuery query) {
    auto page = store_->query_archive(query);
    EXPECT_TRUE(page.has_value()) << (page ? "" : page.error().message);
    return page.value_or(ArchivePage{});
  }

  Id alice_ = 0;
  Id bob_ = 0;
};

TEST_F(SqliteXmppArchiveTest, AQueryReturnsOnlyTheUsersMessagesOldestFirstWithWhatWasStored) {
  add(alice_, "a1", "bob@example.com", 100);
  add(bob_, "b1", "alice@example.com", 100);
  add(alice_, "a2", "carol@example.com", 101);

  const auto page = query({.user = alice_});
  EXPECT_EQ(ids(page), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_TRUE(page.complete);
  EXPECT_EQ(page.count, 2U);
  ASSERT_EQ(page.messages.size(), 2U);
  EXPECT_EQ(page.messages[0].with_jid, "bob@example.com");
  EXPECT_EQ(page.messages[0].stanza, "<message><body>a1</body></message>");
  EXPECT_EQ(page.messages[0].stored_at, 100);
  EXPECT_EQ(page.messages[0].user_id, alice_);
}

TEST_F(SqliteXmppArchiveTest, FiltersByContactAndTimeAndCountsWhatMatches) {
  add(alice_, "a1", "bob@example.com", 100);
  add(alice_, "a2", "carol@example.com", 200);
  add(alice_, "a3", "bob@example.com", 300);
  add(alice_, "a4", "bob@example.com", 400);

  EXPECT_EQ(ids(query({.user = alice_, .with = "bob@example.com"})),
            (std::vector<std::string>{"a1", "a3", "a4"}));
  const auto window = query({.user = alice_, .start = 200, .end = 300});
  EXPECT_EQ(ids(window), (std::vector<std::string>{"a2", "a3"}));
  EXPECT_EQ(window.count, 2U);
  EXPECT_EQ(ids(query({.user = alice_, .with = "bob@example.com", .start = 250})),
            (std::vector<std::string>{"a3", "a4"}));
}

TEST_F(SqliteXmppArchiveTest, PagesForwardAfterAnIdUntilComplete) {
  for (const auto* id : {"m1", "m2", "m3", "m4", "m5"}) {
    add(alice_, id, "bob@example.com");
  }
  const auto first = query({.user = alice_, .limit = 2});
  EXPECT_EQ(ids(first), (std::vector<std::string>{"m1", "m2"}));
  EXPECT_FALSE(first.complete);
  EXPECT_EQ(first.count, 5U);
  const auto second = query({.user = alice_, .after = "m2", .limit = 2});
  EXPECT_EQ(ids(second), (std::vector<std::string>{"m3", "m4"}));
  EXPECT_FALSE(second.complete);
  const auto last = query({.user = alice_, .after = "m4", .limit = 2});
  EXPECT_EQ(ids(last), (std::vector<std::string>{"m5"}));
  EXPECT_TRUE(last.complete);
}

TEST_F(SqliteXmppArchiveTest, AnEmptyBeforeGivesTheLastPageAndBeforeAnIdPagesBack) {
  for (const auto* id : {"m1", "m2", "m3", "m4", "m5"}) {
    add(alice_, id, "bob@example.com");
  }
  const auto last = query({.user = alice_, .before = "", .limit = 2});
  EXPECT_EQ(ids(last), (std::vector<std::string>{"m4", "m5"}));
  EXPECT_FALSE(last.complete);
  const auto earlier = query({.user = alice_, .before = "m4", .limit = 2});
  EXPECT_EQ(ids(earlier), (std::vector<std::string>{"m2", "m3"}));
  EXPECT_FALSE(earlier.complete);
  const auto first = query({.user = alice_, .before = "m2", .limit = 2});
  EXPECT_EQ(ids(first), (std::vector<std::string>{"m1"}));
  EXPECT_TRUE(first.complete);
}

TEST_F(SqliteXmppArchiveTest, ALimitOfZeroCountsWithoutMessages) {
  add(alice_, "m1", "bob@example.com");
  const auto page = query({.user = alice_, .limit = 0});
  EXPECT_TRUE(page.messages.empty());
  EXPECT_EQ(page.count, 1U);
}

TEST_F(SqliteXmppArchiveTest, AnAfterOrBeforeOutsideTheUsersArchiveIsNotFound) {
  add(alice_, "a1", "bob@example.com");
  add(bob_, "b1", "alice@example.com");
  for (const auto& unknown : {ArchiveQuery{.user = alice_, .after = "b1"},
                              ArchiveQuery{.user = alice_, .before = "nope"}}) {
    const auto page = store_->query_archive(unknown);
    ASSERT_FALSE(page.has_value());
    EXPECT_EQ(page.error().kind, StoreError::Kind::not_found);
  }
}

TEST_F(SqliteXmppArchiveTest, AnArchiveIdIsUniqueAcrossArchives) {
  add(alice_, "same", "bob@example.com");
  const auto again = store_->add_archived_message({.archive_id = "same",
                                                   .user_id = bob_,
                                                   .with_jid = "alice@example.com",
                                                   .stanza = "<message/>"});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().kind, StoreError::Kind::conflict);
}

TEST_F(SqliteXmppArchiveTest, RetentionRemovesOnlyOlderMessages) {
  add(alice_, "old", "bob@example.com", 100);
  add(bob_, "old-too", "alice@example.com", 199);
  add(alice_, "kept", "bob@example.com", 200);

  const auto removed = store_->remove_archived_messages_before(200);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(*removed, 2U);
  EXPECT_EQ(ids(query({.user = alice_})), (std::vector<std::string>{"kept"}));
  EXPECT_TRUE(query({.user = bob_}).messages.empty());
}

TEST_F(SqliteXmppArchiveTest, TheArchiveGoesWithItsUserAndSurvivesAReopen) {
  add(alice_, "a1", "bob@example.com");
  add(bob_, "b1", "alice@example.com");
  ASSERT_TRUE(store_->remove_user(bob_).has_value());
  reopen();
  EXPECT_EQ(ids(query({.user = alice_})), (std::vector<std::string>{"a1"}));
  EXPECT_EQ(query({.user = bob_}).count, 0U);
}

TEST_F(SqliteXmppArchiveTest, ArchivingDoesNotMoveTheDirectoryRevision) {
  const auto before = store_->revision();
  ASSERT_TRUE(before.has_value());
  add(alice_, "a1", "bob@example.com");
  ASSERT_TRUE(store_->remove_archived_messages_before(2000).has_value());
  EXPECT_EQ(store_->revision().value_or(0), *before);
}

// XEP-0313 §5: a room's archive is its own, paged and filtered like a user's, and outlives
// the users who wrote in it.
TEST_F(SqliteXmppArchiveTest, ARoomsArchiveHoldsOnlyItsMessagesAndPagesByOccupant) {
  add_to_room("lobby", "r1", "alice", 100);
  add_to_room("sales", "s1", "alice", 100);
  add(alice_, "a1", "bob@example.com", 100);
  add_to_room("lobby", "r2", "bob", 101);
  add_to_room("lobby", "r3", "alice", 102);

  const auto page = query({.room = "lobby"});
  EXPECT_EQ(ids(page), (std::vector<std::string>{"r1", "r2", "r3"}));
  ASSERT_EQ(page.messages.size(), 3U);
  EXPECT_EQ(page.messages[1].room, "lobby");
  EXPECT_EQ(page.messages[1].with_jid, "lobby@conference.example.com/bob");
  EXPECT_EQ(ids(query({.room = "lobby", .with = "lobby@conference.example.com/alice"})),
            (std::vector<std::string>{"r1", "r3"}));
  EXPECT_EQ(ids(query({.room = "lobby", .after = "r1", .limit = 1})),
            (std::vector<std::string>{"r2"}));
  EXPECT_EQ(ids(query({.user = alice_})), (std::vector<std::string>{"a1"}));

  EXPECT_FALSE(store_->query_archive({.room = "sales", .after = "r1"}).has_value())
      << "another room's id is not found";
  ASSERT_TRUE(store_->remove_user(alice_).has_value());
  EXPECT_EQ(query({.room = "lobby"}).count, 3U);
}

TEST_F(SqliteXmppArchiveTest, RetentionTrimsRoomsArchivesToo) {
  add_to_room("lobby", "old", "alice", 100);
  add_to_room("lobby", "kept", "alice", 200);
  add(alice_, "a-old", "bob@example.com", 100);

  const auto removed = store_->remove_archived_messages_before(200);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(*removed, 2U);
  EXPECT_EQ(ids(query({.room = "lobby"})), (std::vector<std::string>{"kept"}));
}

} // namespace
} // namespace starling::store
