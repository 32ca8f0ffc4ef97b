// What XMPP users keep on the server, in the SQLite store: put by (user, kind, key),
// replaced, removed, and gone with the user.
#include <gtest/gtest.h>

#include "temp_store_test.h"

namespace starling::store {
namespace {

class SqliteXmppUserDataTest : public TempStoreTest {
protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    alice_ = add_user("alice");
    add_user("bob");
  }

  std::vector<XmppUserItem> items() {
    auto listed = store_->list_xmpp_user_items();
    EXPECT_TRUE(listed.has_value()) << (listed ? "" : listed.error().message);
    return listed.value_or(std::vector<XmppUserItem>{});
  }

  Id alice_ = 0;
};

TEST_F(SqliteXmppUserDataTest, ItemsAreListedByUserKindAndKeyWithWhatWasPut) {
  ASSERT_TRUE(store_->put_xmpp_user_item({"bob", "vcard", "", "<vCard/>", 5}));
  ASSERT_TRUE(store_->put_xmpp_user_item({"alice", "roster", "z@x", "<item/>", 6}));
  ASSERT_TRUE(store_->put_xmpp_user_item({"alice", "roster", "a@x", "<item a='1'/>", 7}));

  const auto listed = items();
  ASSERT_EQ(listed.size(), 3U);
  EXPECT_EQ(listed[0].user, "alice");
  EXPECT_EQ(listed[0].key, "a@x");
  EXPECT_EQ(listed[0].value, "<item a='1'/>");
  EXPECT_EQ(listed[0].updated_at, 7);
  EXPECT_EQ(listed[1].key, "z@x");
  EXPECT_EQ(listed[2].user, "bob");
  EXPECT_EQ(listed[2].kind, "vcard");
}

TEST_F(SqliteXmppUserDataTest, PuttingAgainReplacesAndRemovingForgets) {
  ASSERT_TRUE(store_->put_xmpp_user_item({"alice", "vcard", "", "<old/>", 1}));
  ASSERT_TRUE(store_->put_xmpp_user_item({"alice", "vcard", "", "<new/>", 2}));
  ASSERT_EQ(items().size(), 1U);
  EXPECT_EQ(items()[0].value, "<new/>");

  ASSERT_TRUE(store_->remove_xmpp_user_item("alice", "vcard", ""));
  EXPECT_TRUE(store_->remove_xmpp_user_item("alice", "vcard", "")) << "absent is no error";
  EXPECT_TRUE(items().empty());
}

TEST_F(SqliteXmppUserDataTest, AnUnknownUserIsNotFound) {
  const auto put = store_->put_xmpp_user_item({"nobody", "vcard", "", "<v/>", 1});
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().kind, StoreError::Kind::not_found);
}

TEST_F(SqliteXmppUserDataTest, ItemsGoWithTheirUserLeaveTheRevisionAndSurviveAReopen) {
  const auto before = store_->revision();
  ASSERT_TRUE(store_->put_xmpp_user_item({"alice", "vcard", "", "<v/>", 1}));
  ASSERT_TRUE(store_->put_xmpp_user_item({"bob", "vcard", "", "<w/>", 1}));
  EXPECT_EQ(*store_->revision(), *before);

  ASSERT_TRUE(store_->remove_user(alice_).has_value());
  reopen();
  const auto listed = items();
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0].user, "bob");
}

} // namespace
} // namespace starling::store
