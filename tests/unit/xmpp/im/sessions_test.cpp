// The registry of bound resources.
#include <gtest/gtest.h>

#include "xmpp/im/sessions.h"

namespace starling::xmpp::im {
namespace {

class NullSession final : public Session {
public:
  void deliver(const xml::Element& /*stanza*/) override {}
};

TEST(Sessions, AStreamThatLostItsResourceDoesNotUnbindTheNewOne) {
  Sessions sessions;
  NullSession old_stream;
  NullSession new_stream;
  const auto jid = *Jid::parse("alice@pbx.example/phone");
  sessions.bind(old_stream, jid);
  sessions.bind(new_stream, jid);
  EXPECT_FALSE(sessions.unbind(old_stream, jid).has_value());
  ASSERT_NE(sessions.find(jid), nullptr);
  EXPECT_EQ(sessions.find(jid)->session, &new_stream);
  EXPECT_TRUE(sessions.unbind(new_stream, jid).has_value());
  EXPECT_EQ(sessions.size(), 0U);
}

TEST(Sessions, ListsOnlyAvailableResourcesAsAvailable) {
  Sessions sessions;
  NullSession phone;
  NullSession desk;
  sessions.bind(phone, *Jid::parse("alice@pbx.example/phone")).presence.available = true;
  sessions.bind(desk, *Jid::parse("alice@pbx.example/desk"));
  const auto bare = *Jid::parse("alice@pbx.example");
  EXPECT_EQ(sessions.resources(bare).size(), 2U);
  ASSERT_EQ(sessions.available_resources(bare).size(), 1U);
  EXPECT_EQ(sessions.available_resources(bare)[0]->jid.resource(), "phone");
}

} // namespace
} // namespace starling::xmpp::im
