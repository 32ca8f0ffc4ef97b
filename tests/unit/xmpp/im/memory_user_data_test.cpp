#include <gtest/gtest.h>

#include "xmpp/im/memory_user_data.h"

namespace starling::xmpp::im {
namespace {

xml::Element note(std::string_view text) {
  return std::move(xml::Element("urn:test", "note").append_text(text));
}

TEST(MemoryUserData, FindsWhatWasPutAndReplacesItInPlace) {
  MemoryUserData data;
  EXPECT_EQ(data.find("alice", "vcard", ""), nullptr);
  data.put("alice", "vcard", "", note("one"));
  data.put("alice", "vcard", "", note("two"));
  ASSERT_NE(data.find("alice", "vcard", ""), nullptr);
  EXPECT_EQ(*data.find("alice", "vcard", ""), note("two"));
  EXPECT_EQ(data.find("bob", "vcard", ""), nullptr);
}

TEST(MemoryUserData, ListsOneUsersKindByKeyAndNothingOfItsNeighbours) {
  MemoryUserData data;
  data.put("alice", "blocklist", "b@x", note("b"));
  data.put("alice", "blocklist", "a@x", note("a"));
  data.put("alice", "blocklistz", "c@x", note("c"));
  data.put("alicea", "blocklist", "d@x", note("d"));
  data.put("alic", "blocklist", "e@x", note("e"));
  const auto listed = data.list("alice", "blocklist");
  ASSERT_EQ(listed.size(), 2U);
  EXPECT_EQ(listed[0].first, "a@x");
  EXPECT_EQ(*listed[1].second, note("b"));
}

TEST(MemoryUserData, RemovesOneEntryOrEverythingOfAUser) {
  MemoryUserData data;
  data.put("alice", "vcard", "", note("v"));
  data.put("alice", "blocklist", "a@x", note("a"));
  data.put("bob", "vcard", "", note("w"));
  data.remove("alice", "blocklist", "a@x");
  data.remove("alice", "blocklist", "nothing");
  EXPECT_TRUE(data.list("alice", "blocklist").empty());
  data.remove_user("alice");
  EXPECT_EQ(data.find("alice", "vcard", ""), nullptr);
  EXPECT_NE(data.find("bob", "vcard", ""), nullptr);
}

} // namespace
} // namespace starling::xmpp::im
