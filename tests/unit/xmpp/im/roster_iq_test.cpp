// Roster get, set and remove through the router, with pushes (RFC 6121 §2).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "router_fixture.h"

namespace starling::xmpp::im {
namespace {

class RosterIqTest : public RouterFixture {
protected:
  // A resource that asked for the roster, so it gets pushes; the answer is read.
  FakeSession& interested(std::string_view full) {
    auto& session = connect(full);
    send(session, "<iq type='get' id='get'><query xmlns='jabber:iq:roster'/></iq>");
    session.take();
    return session;
  }
};

TEST_F(RosterIqTest, AddedContactIsPushedToEveryInterestedResourceAndStored) {
  auto& phone = interested("alice@pbx.example/phone");
  auto& laptop = interested("alice@pbx.example/laptop");
  auto& silent = connect("alice@pbx.example/silent"); // never asked for the roster
  send(phone, "<iq type='set' id='add'><query xmlns='jabber:iq:roster'>"
              "<item jid='dave@example.org' name='Dave'><group>Friends</group></item>"
              "</query></iq>");
  const std::string item = "<query xmlns='jabber:iq:roster'><item jid='dave@example.org' "
                           "name='Dave' subscription='none'><group>Friends</group></item></query>";
  const auto to_phone = phone.take();
  ASSERT_EQ(to_phone.size(), 2U);
  EXPECT_NE(to_phone[0].find(item), std::string::npos) << to_phone[0];
  EXPECT_NE(to_phone[0].find("type='set'"), std::string::npos);
  EXPECT_EQ(to_phone[1], "<iq to='alice@pbx.example/phone' id='add' type='result'/>");
  const auto to_laptop = laptop.take();
  ASSERT_EQ(to_laptop.size(), 1U);
  EXPECT_NE(to_laptop[0].find(item), std::string::npos) << to_laptop[0];
  EXPECT_TRUE(silent.take().empty());
  EXPECT_NE(user_data_.find("alice", kRosterKind, "dave@example.org"), nullptr);

  send(laptop, "<iq type='get' id='again'><query xmlns='jabber:iq:roster'/></iq>");
  const auto roster = laptop.take();
  ASSERT_EQ(roster.size(), 1U);
  EXPECT_NE(roster[0].find("<item jid='dave@example.org'"), std::string::npos);
}

TEST_F(RosterIqTest, RemovalIsPushedAndAnUnknownItemCannotBeRemoved) {
  auto& phone = interested("alice@pbx.example/phone");
  send(phone, "<iq type='set' id='add'><query xmlns='jabber:iq:roster'>"
              "<item jid='dave@example.org'/></query></iq>");
  phone.take();
  send(phone, "<iq type='set' id='rm'><query xmlns='jabber:iq:roster'>"
              "<item jid='dave@example.org' subscription='remove'/></query></iq>");
  const auto replies = phone.take();
  ASSERT_EQ(replies.size(), 2U);
  EXPECT_NE(replies[0].find("<item jid='dave@example.org' subscription='remove'/>"),
            std::string::npos);
  EXPECT_EQ(user_data_.find("alice", kRosterKind, "dave@example.org"), nullptr);
  send(phone, "<iq type='set' id='rm2'><query xmlns='jabber:iq:roster'>"
              "<item jid='dave@example.org' subscription='remove'/></query></iq>");
  EXPECT_EQ(error_condition(phone.take().at(0)), "item-not-found");
}

TEST_F(RosterIqTest, SharedColleaguesAndOnesOwnJidCannotBeChanged) {
  auto& phone = interested("alice@pbx.example/phone");
  for (const std::string_view jid : {"bob@pbx.example", "alice@pbx.example"}) {
    send(phone, "<iq type='set' id='s'><query xmlns='jabber:iq:roster'><item jid='" +
                    std::string(jid) + "' name='x'/></query></iq>");
    EXPECT_EQ(error_condition(phone.take().at(0)), "not-allowed") << jid;
  }
}

TEST_F(RosterIqTest, DirectoryChangesArePushedToOnlineColleagues) {
  auto& alice = interested("alice@pbx.example/phone");
  directory_.push(
      directory_.set_colleagues({{"alice", "Alice Liddell"}, {"bob", "Robert"}, {"dave", "Dave"}}),
      router_.roster_pushes());
  const auto pushes = alice.take();
  ASSERT_EQ(pushes.size(), 3U);
  EXPECT_NE(pushes[0].find("<item jid='bob@pbx.example' name='Robert' subscription='both'>"),
            std::string::npos)
      << pushes[0];
  EXPECT_NE(pushes[1].find("<item jid='dave@pbx.example' name='Dave'"), std::string::npos);
  EXPECT_NE(pushes[2].find("<item jid='carol@pbx.example' subscription='remove'/>"),
            std::string::npos);
}

} // namespace
} // namespace starling::xmpp::im
