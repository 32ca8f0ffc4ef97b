// The all-colleagues roster built from the company directory.
#include <gtest/gtest.h>

#include "xmpp/im/directory_roster.h"

namespace starling::xmpp::im {
namespace {

TEST(DirectoryRoster, GivesEveryOtherColleagueAsASharedMutualSubscription) {
  const DirectoryRoster roster("pbx.example", {{"alice", "Alice"}, {"Bob", "Bob B."}});
  const auto items = roster.roster(*Jid::parse("alice@pbx.example"));
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].jid.to_string(), "bob@pbx.example");
  EXPECT_EQ(items[0].name, "Bob B.");
  EXPECT_EQ(items[0].subscription, Subscription::both);
  EXPECT_EQ(items[0].groups, std::vector<std::string>{"Colleagues"});
  EXPECT_TRUE(items[0].shared);
}

TEST(DirectoryRoster, KnowsAccountsByCanonicalLocalpartAndSkipsInvalidNames) {
  const DirectoryRoster roster("pbx.example", {{"Bob", ""}, {"not valid@", ""}, {"", ""}});
  EXPECT_TRUE(roster.has_account("bob"));
  EXPECT_FALSE(roster.has_account("mallory"));
  EXPECT_EQ(roster.roster(*Jid::parse("bob@pbx.example")).size(), 0U);
  EXPECT_TRUE(roster.roster(*Jid::parse("mallory@pbx.example")).empty());
}

} // namespace
} // namespace starling::xmpp::im
