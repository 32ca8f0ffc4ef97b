// The combined roster: shared directory items over personal items kept in UserData.
#include <gtest/gtest.h>

#include "router_fixture.h"
#include "xmpp/im/memory_user_data.h"
#include "xmpp/im/roster.h"

namespace starling::xmpp::im {
namespace {

class RosterTest : public ::testing::Test {
protected:
  DirectoryRoster directory_{kDomain, {{"alice", "Alice"}, {"bob", "Bob"}}};
  MemoryUserData data_;
  Roster roster_{directory_, data_};
  Jid alice_ = jid("alice@pbx.example");
  Jid dave_ = jid("dave@example.org");
};

TEST_F(RosterTest, PersonalItemsFollowTheSharedOnesAndAreStoredAsItems) {
  roster_.set_item(alice_, dave_, "Dave", {"Friends"});
  const auto items = roster_.roster(alice_);
  ASSERT_EQ(items.size(), 2U);
  EXPECT_TRUE(items[0].shared);
  EXPECT_EQ(items[1].jid, dave_);
  EXPECT_EQ(items[1].subscription, Subscription::none);
  const auto* stored = data_.find("alice", kRosterKind, "dave@example.org");
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->attribute("name"), "Dave");
}

TEST_F(RosterTest, ASharedItemHidesAPersonalOneOfTheSameJid) {
  roster_.set_item(alice_, jid("carol@pbx.example"), "Carol before she joined", {});
  (void)directory_.set_colleagues({{"alice", "Alice"}, {"bob", "Bob"}, {"carol", "Carol"}});
  const auto carol = roster_.find(alice_, jid("carol@pbx.example"));
  ASSERT_TRUE(carol);
  EXPECT_TRUE(carol->shared);
  EXPECT_EQ(roster_.roster(alice_).size(), 2U);
}

TEST_F(RosterTest, RenamingKeepsTheSubscription) {
  ASSERT_TRUE(roster_.set_state(alice_, dave_, {.subscription = Subscription::to}));
  roster_.set_item(alice_, dave_, "Dave", {});
  EXPECT_EQ(roster_.find(alice_, dave_)->subscription, Subscription::to);
}

TEST_F(RosterTest, ARequestAloneMakesNoItemButIsKeptForTheNextLogin) {
  auto request = stanza("<presence type='subscribe' from='dave@example.org'/>");
  roster_.add_pending_in(alice_, dave_, request);
  EXPECT_FALSE(roster_.find(alice_, dave_));
  EXPECT_TRUE(roster_.state(alice_, dave_).pending_in);
  EXPECT_EQ(roster_.pending_in(alice_).size(), 1U);
  // Approving it makes a "from" item and forgets the request.
  const auto item = roster_.set_state(alice_, dave_, {.subscription = Subscription::from});
  ASSERT_TRUE(item);
  EXPECT_EQ(item->subscription, Subscription::from);
  EXPECT_TRUE(roster_.pending_in(alice_).empty());
}

TEST_F(RosterTest, UnchangedStateIsNoChange) {
  ASSERT_TRUE(roster_.set_state(alice_, dave_, {.pending_out = true}));
  EXPECT_TRUE(roster_.find(alice_, dave_)->ask);
  EXPECT_FALSE(roster_.set_state(alice_, dave_, {.pending_out = true}));
}

TEST_F(RosterTest, SharedItemsAreBothWithNothingPending) {
  EXPECT_EQ(roster_.state(alice_, jid("bob@pbx.example")),
            (SubscriptionState{.subscription = Subscription::both}));
}

TEST_F(RosterTest, RemovingForgetsTheItemAndTheRequest) {
  roster_.set_item(alice_, dave_, "", {});
  roster_.add_pending_in(alice_, dave_, stanza("<presence type='subscribe'/>"));
  roster_.remove_item(alice_, dave_);
  EXPECT_FALSE(roster_.find(alice_, dave_));
  EXPECT_TRUE(roster_.pending_in(alice_).empty());
}

} // namespace
} // namespace starling::xmpp::im
