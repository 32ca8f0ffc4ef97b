// XMPP group chat rooms in the SQLite store: saved by name, listed back, kept across restarts.

#include <gtest/gtest.h>

#include "temp_store_test.h"

namespace starling::store {
namespace {

class SqliteXmppRoomsTest : public TempStoreTest {
protected:
  std::vector<XmppRoom> rooms() {
    auto listed = store_->list_xmpp_rooms();
    EXPECT_TRUE(listed.has_value()) << (listed ? "" : listed.error().message);
    return listed.value_or(std::vector<XmppRoom>{});
  }
};

TEST_F(SqliteXmppRoomsTest, RoomsAreListedByNameWithWhatWasSaved) {
  ASSERT_TRUE(store_->save_xmpp_room({"sales", "", "bob@example.com", 200, "", ""}));
  ASSERT_TRUE(store_->save_xmpp_room({"lobby", "Welcome", "alice@example.com", 100, "", ""}));

  const auto listed = rooms();
  ASSERT_EQ(listed.size(), 2U);
  EXPECT_EQ(listed[0].name, "lobby");
  EXPECT_EQ(listed[0].subject, "Welcome");
  EXPECT_EQ(listed[0].created_by, "alice@example.com");
  EXPECT_EQ(listed[0].created_at, 100);
  EXPECT_EQ(listed[1].name, "sales");
}

TEST_F(SqliteXmppRoomsTest, TheOwnersNameAndDescriptionAreKept) {
  ASSERT_TRUE(store_->save_xmpp_room({"x7f3", "", "alice@example.com", 100, "", ""}));
  ASSERT_TRUE(
      store_->save_xmpp_room({"x7f3", "", "alice@example.com", 100, "Team Ü", "Release talk"}));
  reopen();

  const auto listed = rooms();
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0].title, "Team Ü");
  EXPECT_EQ(listed[0].description, "Release talk");
}

// The subject changes; who made the room and when stays as it was.
TEST_F(SqliteXmppRoomsTest, SavingAgainReplacesTheSubjectOnly) {
  ASSERT_TRUE(store_->save_xmpp_room({"lobby", "", "alice@example.com", 100, "", ""}));
  ASSERT_TRUE(store_->save_xmpp_room({"lobby", "New topic", "bob@example.com", 300, "", ""}));

  const auto listed = rooms();
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0].subject, "New topic");
  EXPECT_EQ(listed[0].created_by, "alice@example.com");
  EXPECT_EQ(listed[0].created_at, 100);
}

// Signalling reloads its dial plan whenever the revision moves; chat rooms must not cause it.
TEST_F(SqliteXmppRoomsTest, SavingARoomLeavesTheDirectoryRevision) {
  const auto before = store_->revision();
  ASSERT_TRUE(before.has_value());
  ASSERT_TRUE(store_->save_xmpp_room({"lobby", "", "alice@example.com", 100, "", ""}));
  ASSERT_TRUE(store_->save_xmpp_room({"lobby", "topic", "alice@example.com", 100, "", ""}));
  EXPECT_EQ(*store_->revision(), *before);
}

TEST_F(SqliteXmppRoomsTest, RoomsSurviveReopening) {
  ASSERT_TRUE(store_->save_xmpp_room({"lobby", "Welcome", "alice@example.com", 100, "", ""}));
  reopen();

  const auto listed = rooms();
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0].name, "lobby");
  EXPECT_EQ(listed[0].subject, "Welcome");
}

TEST_F(SqliteXmppRoomsTest, SettingsAndAffiliationsAreKeptAndReplacedWhole) {
  XmppRoom room{"team", "", "alice@example.com", 100, "", ""};
  room.members_only = true;
  room.is_public = false;
  room.occupants_invite = false;
  room.semi_anonymous = true;
  room.moderated = true;
  room.password = "open sesame";
  room.affiliations = {{"alice@example.com", "owner"}, {"bob@example.com", "member"}};
  ASSERT_TRUE(store_->save_xmpp_room(room));
  room.affiliations = {{"alice@example.com", "owner"}, {"carol@example.com", "outcast"}};
  ASSERT_TRUE(store_->save_xmpp_room(room));
  reopen();

  const auto listed = rooms();
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_TRUE(listed[0].members_only);
  EXPECT_FALSE(listed[0].is_public);
  EXPECT_TRUE(listed[0].occupants_change_subject);
  EXPECT_FALSE(listed[0].occupants_invite);
  EXPECT_TRUE(listed[0].semi_anonymous);
  EXPECT_TRUE(listed[0].moderated);
  EXPECT_EQ(listed[0].password, "open sesame");
  EXPECT_EQ(listed[0].affiliations, room.affiliations);
}

TEST_F(SqliteXmppRoomsTest, ADestroyedRoomTakesItsAffiliationsAndArchive) {
  XmppRoom room{"team", "", "alice@example.com", 100, "", ""};
  room.affiliations = {{"alice@example.com", "owner"}};
  ASSERT_TRUE(store_->save_xmpp_room(room));
  ASSERT_TRUE(store_->add_archived_message(
      {.archive_id = "a1", .room = "team", .with_jid = "team@conference/Al", .stanza = "<m/>"}));
  ASSERT_TRUE(store_->remove_xmpp_room("team"));
  ASSERT_TRUE(store_->remove_xmpp_room("never-was"));

  EXPECT_TRUE(rooms().empty());
  // A new room of that name starts with no owner or history of the old one.
  ASSERT_TRUE(store_->save_xmpp_room({"team", "", "bob@example.com", 200, "", ""}));
  EXPECT_TRUE(rooms()[0].affiliations.empty());
  const auto archive = store_->query_archive({.room = "team"});
  ASSERT_TRUE(archive.has_value());
  EXPECT_TRUE(archive->messages.empty());
}

} // namespace
} // namespace starling::store
