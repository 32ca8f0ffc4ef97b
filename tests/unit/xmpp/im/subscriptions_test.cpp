// Presence subscriptions between users who build their own rosters (RFC 6121 §3).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "router_fixture.h"

namespace starling::xmpp::im {
namespace {

bool has(const std::vector<std::string>& stanzas, std::string_view part) {
  for (const auto& s : stanzas) {
    if (s.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

class SubscriptionsTest : public RouterFixture {
protected:
  void SetUp() override { directory_.share_colleagues(false); }

  // Online, with the roster asked for (so it gets pushes) and nothing left to read.
  FakeSession& user(std::string_view full) {
    auto& session = connect(full);
    send(session, "<iq type='get' id='get'><query xmlns='jabber:iq:roster'/></iq>");
    send(session, "<presence/>");
    session.take();
    return session;
  }
  SubscriptionState state(std::string_view user, std::string_view contact) {
    return roster_.state(jid(user), jid(contact));
  }
};

TEST_F(SubscriptionsTest, RequestAndApprovalMakeASubscriptionAndPresenceFollows) {
  auto& alice = user("alice@pbx.example/phone");
  auto& bob = user("bob@pbx.example/desk");
  send(alice, "<presence type='subscribe' to='bob@pbx.example'><status>hi</status></presence>");
  EXPECT_TRUE(has(alice.take(), "subscription='none' ask='subscribe'")); // §3.1.2 push
  EXPECT_EQ(bob.take(), std::vector<std::string>{"<presence type='subscribe' "
                                                 "to='bob@pbx.example' from='alice@pbx.example'>"
                                                 "<status>hi</status></presence>"});
  EXPECT_TRUE(state("bob@pbx.example", "alice@pbx.example").pending_in);

  send(bob, "<presence type='subscribed' to='alice@pbx.example'/>");
  EXPECT_TRUE(has(bob.take(), "<item jid='alice@pbx.example' subscription='from'/>"));
  const auto to_alice = alice.take();
  EXPECT_TRUE(has(to_alice, "<item jid='bob@pbx.example' subscription='to'/>"));
  EXPECT_TRUE(has(to_alice, "type='subscribed'"));
  EXPECT_TRUE(has(to_alice, "<presence from='bob@pbx.example/desk'")); // §3.1.5
  EXPECT_EQ(state("alice@pbx.example", "bob@pbx.example"),
            (SubscriptionState{.subscription = Subscription::to}));

  // From now on bob's broadcasts reach alice, and not the other way round.
  send(bob, "<presence><show>away</show></presence>");
  EXPECT_TRUE(has(alice.take(), "<show>away</show>"));
  send(alice, "<presence><show>dnd</show></presence>");
  EXPECT_FALSE(has(bob.take(), "<show>dnd</show>"));
}

TEST_F(SubscriptionsTest, ARequestToAnOfflineUserWaitsForTheirLogin) {
  auto& alice = user("alice@pbx.example/phone");
  send(alice, "<presence type='subscribe' to='bob@pbx.example'/>");
  alice.take();
  auto& bob = connect("bob@pbx.example/desk");
  EXPECT_TRUE(bob.take().empty());
  send(bob, "<presence/>");
  EXPECT_TRUE(has(bob.take(), "<presence type='subscribe' to='bob@pbx.example' "
                              "from='alice@pbx.example'/>"));
  // Stored, not just queued: every login gets it until bob answers.
  close(bob);
  auto& again = connect("bob@pbx.example/laptop");
  send(again, "<presence/>");
  EXPECT_TRUE(has(again.take(), "type='subscribe'"));
  send(again, "<presence type='unsubscribed' to='alice@pbx.example'/>");
  EXPECT_TRUE(roster_.pending_in(jid("bob@pbx.example")).empty());
  EXPECT_EQ(state("alice@pbx.example", "bob@pbx.example"), SubscriptionState{});
}

TEST_F(SubscriptionsTest, RemovingAnItemUnsubscribesBothWays) {
  auto& alice = user("alice@pbx.example/phone");
  auto& bob = user("bob@pbx.example/desk");
  send(alice, "<presence type='subscribe' to='bob@pbx.example'/>");
  send(bob, "<presence type='subscribed' to='alice@pbx.example'/>");
  send(bob, "<presence type='subscribe' to='alice@pbx.example'/>");
  send(alice, "<presence type='subscribed' to='bob@pbx.example'/>");
  ASSERT_EQ(state("alice@pbx.example", "bob@pbx.example").subscription, Subscription::both);
  ASSERT_EQ(state("bob@pbx.example", "alice@pbx.example").subscription, Subscription::both);
  alice.take();
  bob.take();

  send(alice, "<iq type='set' id='rm'><query xmlns='jabber:iq:roster'>"
              "<item jid='bob@pbx.example' subscription='remove'/></query></iq>");
  EXPECT_TRUE(has(alice.take(), "subscription='remove'"));
  const auto to_bob = bob.take();
  EXPECT_TRUE(has(to_bob, "type='unsubscribe'"));
  EXPECT_TRUE(has(to_bob, "type='unsubscribed'"));
  EXPECT_TRUE(has(to_bob, "<presence from='alice@pbx.example/phone' type='unavailable'"));
  EXPECT_TRUE(has(to_bob, "<item jid='alice@pbx.example' subscription='none'/>"));
  EXPECT_FALSE(roster_.find(jid("alice@pbx.example"), jid("bob@pbx.example")));
}

TEST_F(SubscriptionsTest, ASecondRequestDoesNotBotherTheContact) {
  auto& alice = user("alice@pbx.example/phone");
  auto& bob = user("bob@pbx.example/desk");
  send(alice, "<presence type='subscribe' to='bob@pbx.example'/>");
  send(bob, "<presence type='subscribed' to='alice@pbx.example'/>");
  alice.take();
  bob.take();
  send(alice, "<presence type='subscribe' to='bob@pbx.example'/>");
  // §3.1.3: bob's server answers for him; alice's, with nothing pending, drops the answer
  // (§3.1.6), and the subscription stays as it was.
  EXPECT_TRUE(bob.take().empty());
  EXPECT_FALSE(has(alice.take(), "type='subscribed'"));
  EXPECT_EQ(state("alice@pbx.example", "bob@pbx.example"),
            (SubscriptionState{.subscription = Subscription::to}));
}

TEST_F(SubscriptionsTest, ARequestToAnotherDomainStaysPending) {
  auto& alice = user("alice@pbx.example/phone");
  send(alice, "<presence type='subscribe' to='dave@example.org'/>");
  const auto replies = alice.take();
  EXPECT_TRUE(has(replies, "<item jid='dave@example.org' subscription='none' ask='subscribe'/>"));
  EXPECT_FALSE(has(replies, "type='error'"));
  EXPECT_TRUE(state("alice@pbx.example", "dave@example.org").pending_out);
  send(alice, "<message to='dave@example.org'><body>hi</body></message>");
  EXPECT_EQ(error_condition(alice.take().at(0)), "remote-server-not-found");
}

TEST(SharedColleagues, ASubscriptionRequestIsAnsweredAtOnce) {
  DirectoryRoster directory{kDomain, {{"alice", ""}, {"bob", ""}}};
  AliceAndBobOnline online(directory);
  auto& router = online.router;
  auto& alice = online.alice;
  auto& bob = online.bob;
  bob.take();
  alice.take();
  router.on_stanza(alice, alice.jid, stanza("<presence type='subscribe' to='bob@pbx.example'/>"));
  EXPECT_TRUE(bob.take().empty());
  EXPECT_EQ(alice.take(), std::vector<std::string>{"<presence from='bob@pbx.example' "
                                                   "to='alice@pbx.example' type='subscribed'/>"});
  EXPECT_TRUE(online.data.list("alice", kRosterKind).empty());
}

} // namespace
} // namespace starling::xmpp::im
