// The IM core between local users: roster, presence, messages and server iqs (RFC 6121).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "router_fixture.h"

namespace starling::xmpp::im {
namespace {

using RouterTest = RouterFixture;

TEST_F(RouterTest, RosterGetListsColleaguesAsBothInGroupColleagues) {
  auto& alice = connect("alice@pbx.example/phone");
  send(alice, "<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
  EXPECT_EQ(alice.take(),
            std::vector<std::string>{"<iq to='alice@pbx.example/phone' id='r1' type='result'>"
                                     "<query xmlns='jabber:iq:roster'>"
                                     "<item jid='bob@pbx.example' name='Bob' subscription='both'>"
                                     "<group>Colleagues</group></item>"
                                     "<item jid='carol@pbx.example' subscription='both'>"
                                     "<group>Colleagues</group></item></query></iq>"});
}

TEST_F(RouterTest, RosterSetOfASharedColleagueIsNotAllowed) {
  auto& alice = connect("alice@pbx.example/phone");
  send(alice, "<iq type='set' id='r2'><query xmlns='jabber:iq:roster'>"
              "<item jid='bob@pbx.example' subscription='remove'/></query></iq>");
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(error_condition(replies[0]), "not-allowed");
}

TEST_F(RouterTest, InitialPresenceReachesOnlineColleaguesAndBringsBackTheirs) {
  auto& bob = online("bob@pbx.example/desk");
  auto& alice = connect("alice@pbx.example/phone");
  send(alice, "<presence><show>away</show></presence>");
  EXPECT_EQ(bob.take(), std::vector<std::string>{"<presence from='alice@pbx.example/phone' "
                                                 "to='bob@pbx.example/desk'><show>away</show>"
                                                 "</presence>"});
  // Her own presence comes back to her (RFC 6121 §4.2.2), then Bob's as the probe's answer.
  EXPECT_EQ(alice.take(),
            (std::vector<std::string>{
                "<presence from='alice@pbx.example/phone' to='alice@pbx.example/phone'>"
                "<show>away</show></presence>",
                "<presence from='bob@pbx.example/desk' to='alice@pbx.example/phone'>"
                "<priority>0</priority></presence>"}));
}

TEST_F(RouterTest, PresenceUpdateIsNotAnsweredWithProbesAgain) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  send(alice, "<presence><show>dnd</show></presence>");
  EXPECT_EQ(bob.take().size(), 1U);
  EXPECT_EQ(alice.take().size(), 1U); // only her own update
}

TEST_F(RouterTest, ClosingAnAvailableSessionSendsUnavailableToColleagues) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  auto& carol = connect("carol@pbx.example/laptop"); // connected, no presence yet
  close(alice);
  EXPECT_EQ(bob.take(), std::vector<std::string>{"<presence from='alice@pbx.example/phone' "
                                                 "type='unavailable' to='bob@pbx.example/desk'/>"});
  EXPECT_TRUE(carol.take().empty());
  EXPECT_EQ(router_.sessions().size(), 2U);
}

TEST_F(RouterTest, ClosingASessionThatNeverSentPresenceTellsNobody) {
  auto& bob = online("bob@pbx.example/desk");
  auto& alice = connect("alice@pbx.example/phone");
  close(alice);
  EXPECT_TRUE(bob.take().empty());
}

TEST_F(RouterTest, MessageToBareJidReachesTheHighestPriorityResource) {
  auto& phone = online("bob@pbx.example/phone", 1);
  auto& desk = online("bob@pbx.example/desk", 5);
  auto& muted = online("bob@pbx.example/muted", -1);
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='bob@pbx.example' type='chat' id='m1'><body>hi</body></message>");
  EXPECT_EQ(
      desk.take(),
      std::vector<std::string>{
          "<message to='bob@pbx.example' type='chat' "
          "id='m1' from='alice@pbx.example/phone'>"
          "<body>hi</body>"
          "<stanza-id xmlns='urn:xmpp:sid:0' id='archive-2' by='bob@pbx.example'/></message>"});
  EXPECT_TRUE(phone.take().empty());
  EXPECT_TRUE(muted.take().empty());
  EXPECT_TRUE(alice.take().empty());
}

TEST_F(RouterTest, MessageToFullJidReachesThatResourceEvenWithLowerPriority) {
  auto& phone = online("bob@pbx.example/phone", -1);
  auto& desk = online("bob@pbx.example/desk", 5);
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='bob@pbx.example/phone'><body>hi</body></message>");
  EXPECT_EQ(phone.take().size(), 1U);
  EXPECT_TRUE(desk.take().empty());
}

TEST_F(RouterTest, MessageToOfflineUserIsStoredAndDeliveredAtTheNextInitialPresence) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='bob@pbx.example/gone' type='chat'><body>later</body></message>");
  EXPECT_TRUE(alice.take().empty());
  ASSERT_EQ(offline_.messages[jid("bob@pbx.example")].size(), 1U);

  auto& bob = connect("bob@pbx.example/desk");
  send(bob, "<presence/>");
  const auto arrived = bob.take();
  ASSERT_FALSE(arrived.empty());
  EXPECT_EQ(arrived.back(),
            "<message to='bob@pbx.example/gone' type='chat' "
            "from='alice@pbx.example/phone'><body>later</body>"
            "<stanza-id xmlns='urn:xmpp:sid:0' id='archive-2' by='bob@pbx.example'/></message>");
  EXPECT_TRUE(offline_.messages[jid("bob@pbx.example")].empty());
}

TEST_F(RouterTest, OfflineMessagesWaitForANonNegativePriority) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='bob@pbx.example'><body>later</body></message>");
  auto& bob = online("bob@pbx.example/hidden", -1);
  EXPECT_EQ(offline_.messages[jid("bob@pbx.example")].size(), 1U);
  EXPECT_TRUE(bob.take().empty());
}

TEST_F(RouterTest, MessageToUnknownUserGivesServiceUnavailable) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='mallory@pbx.example' id='m2'><body>hi</body></message>");
  EXPECT_EQ(alice.take(),
            std::vector<std::string>{
                "<message from='mallory@pbx.example' to='alice@pbx.example/phone' id='m2' "
                "type='error'><body>hi</body><error type='cancel'><service-unavailable "
                "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"});
}

TEST_F(RouterTest, MessageToAnotherDomainGivesRemoteServerNotFound) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='romeo@example.net'><body>hi</body></message>");
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(error_condition(replies[0]), "remote-server-not-found");
}

TEST_F(RouterTest, ErrorsAreNeverAnsweredWithErrors) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='romeo@example.net' type='error'/>");
  send(alice, "<message to='mallory@pbx.example' type='error'/>");
  send(alice, "<iq to='@@bad' type='error' id='e'/>");
  EXPECT_TRUE(alice.take().empty());
}

TEST_F(RouterTest, PingIsAnswered) {
  auto& alice = connect("alice@pbx.example/phone");
  send(alice, "<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
  send(alice, "<iq type='get' id='p2' to='pbx.example'><ping xmlns='urn:xmpp:ping'/></iq>");
  EXPECT_EQ(alice.take(),
            (std::vector<std::string>{
                "<iq to='alice@pbx.example/phone' id='p1' type='result'/>",
                "<iq from='pbx.example' to='alice@pbx.example/phone' id='p2' type='result'/>"}));
}

TEST_F(RouterTest, DiscoInfoDescribesAnImServerWithPingAndCarbons) {
  auto& alice = connect("alice@pbx.example/phone");
  send(alice, "<iq type='get' id='d1' to='pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  EXPECT_EQ(alice.take(),
            std::vector<std::string>{
                "<iq from='pbx.example' to='alice@pbx.example/phone' id='d1' type='result'>"
                "<query xmlns='http://jabber.org/protocol/disco#info'>"
                "<identity category='server' type='im'/>"
                "<feature var='http://jabber.org/protocol/disco#info'/>"
                "<feature var='http://jabber.org/protocol/disco#items'/>"
                "<feature var='urn:xmpp:ping'/>"
                "<feature var='urn:xmpp:carbons:2'/></query></iq>"});
  send(alice, "<iq type='get' id='d2' to='pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
  EXPECT_EQ(alice.take(),
            std::vector<std::string>{
                "<iq from='pbx.example' to='alice@pbx.example/phone' id='d2' type='result'>"
                "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>"});
}

TEST_F(RouterTest, IqToServerWithUnknownNamespaceGivesServiceUnavailable) {
  auto& alice = connect("alice@pbx.example/phone");
  send(alice, "<iq type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>");
  send(alice, "<iq type='set' id='v2' to='alice@pbx.example'><x xmlns='urn:example'/></iq>");
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 2U);
  EXPECT_EQ(error_condition(replies[0]), "service-unavailable");
  EXPECT_EQ(error_condition(replies[1]), "service-unavailable");
  send(alice, "<iq type='result' id='v3'/>");
  EXPECT_TRUE(alice.take().empty());
}

TEST_F(RouterTest, IqToAnOnlineFullJidIsForwardedAndToAnOfflineOneIsRefused) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  send(alice, "<iq type='get' id='q1' to='bob@pbx.example/desk'><ping xmlns='urn:xmpp:ping'/>"
              "</iq>");
  EXPECT_EQ(bob.take().size(), 1U);
  send(bob, "<iq type='result' id='q1' to='alice@pbx.example/phone'/>");
  EXPECT_EQ(alice.take(), std::vector<std::string>{"<iq type='result' id='q1' "
                                                   "to='alice@pbx.example/phone' "
                                                   "from='bob@pbx.example/desk'/>"});
  send(alice, "<iq type='get' id='q2' to='bob@pbx.example/gone'><ping xmlns='urn:xmpp:ping'/>"
              "</iq>");
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(error_condition(replies[0]), "service-unavailable");
}

TEST_F(RouterTest, DirectedPresenceReachesOnlyItsTarget) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  auto& carol = online("carol@pbx.example/laptop");
  send(alice, "<presence to='bob@pbx.example/desk'><show>chat</show></presence>");
  EXPECT_EQ(bob.take(), std::vector<std::string>{"<presence to='bob@pbx.example/desk' "
                                                 "from='alice@pbx.example/phone'>"
                                                 "<show>chat</show></presence>"});
  EXPECT_TRUE(carol.take().empty());
  EXPECT_TRUE(alice.take().empty());
}

TEST_F(RouterTest, SubscribeToAColleagueIsAnsweredSubscribedByTheServer) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  send(alice, "<presence to='bob@pbx.example' type='subscribe'/>");
  EXPECT_EQ(alice.take(), std::vector<std::string>{"<presence from='bob@pbx.example' "
                                                   "to='alice@pbx.example' type='subscribed'/>"});
  EXPECT_TRUE(bob.take().empty());
}

TEST_F(RouterTest, MalformedToGivesJidMalformed) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='a@b@c'><body>hi</body></message>");
  send(alice, "<presence to='@pbx.example'/>");
  send(alice, "<iq type='get' id='j' to='x@/r'><ping xmlns='urn:xmpp:ping'/></iq>");
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 3U);
  for (const auto& reply : replies) {
    EXPECT_EQ(error_condition(reply), "jid-malformed") << reply;
    EXPECT_EQ(*stanza(reply).attribute("from"), kDomain) << reply;
  }
}

TEST_F(RouterTest, IqWithoutTypeIdOrPayloadGivesBadRequest) {
  auto& alice = connect("alice@pbx.example/phone");
  send(alice, "<iq id='b1'><ping xmlns='urn:xmpp:ping'/></iq>");
  send(alice, "<iq type='fetch' id='b2'/>");
  send(alice, "<iq type='get'><ping xmlns='urn:xmpp:ping'/></iq>");
  send(alice, "<iq type='get' id='b4'/>");
  send(alice, "<iq type='get' id='b5'><ping xmlns='urn:xmpp:ping'/><ping xmlns='urn:xmpp:ping'/>"
              "</iq>");
  send(alice, "<presence type='dance'/>");
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 6U);
  for (const auto& reply : replies) {
    EXPECT_EQ(error_condition(reply), "bad-request") << reply;
  }
}

TEST_F(RouterTest, OddStanzasAreAnsweredOrDroppedWithoutHarm) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  for (std::string_view odd : {
           "<presence><priority>999</priority></presence>",
           "<presence><priority>x</priority><show/><status/><status/></presence>",
           "<presence type='probe' to='bob@pbx.example'/>",
           "<presence type='error' to='bob@pbx.example'/>",
           "<presence type='unsubscribed' to='bob@pbx.example/desk'/>",
           "<presence type='subscribe' to='mallory@pbx.example'/>",
           "<presence to='pbx.example'/>",
           "<message to='pbx.example/x' type='groupchat'/>",
           "<message to='bob@pbx.example/gone' type='groupchat'/>",
           "<message to='bob@pbx.example' type='weird'/>",
           "<message/>",
           "<iq type='result' to='bob@pbx.example/gone'/>",
           "<iq type='get' id='x' to='bob@pbx.example'><ping xmlns='urn:xmpp:ping'/></iq>",
           "<iq type='set' id='r' ><query xmlns='jabber:iq:roster'/></iq>",
           "<iq type='set' id='r2'><query xmlns='jabber:iq:roster'><item/></query></iq>",
           "<iq type='get' id='n'><query xmlns='http://jabber.org/protocol/disco#info' "
           "node='x'/></iq>",
           "<unknown/>",
       }) {
    send(alice, odd);
  }
  for (const auto& reply : alice.take()) {
    // Every error is well formed and says what went wrong.
    if (reply.find("type='error'") != std::string::npos) {
      EXPECT_FALSE(error_condition(reply).empty()) << reply;
    }
  }
  (void)bob.take();
  EXPECT_EQ(router_.sessions().size(), 2U);
}

TEST_F(RouterTest, StanzasFromAnUnboundSessionAreIgnored) {
  auto& bob = online("bob@pbx.example/desk");
  FakeSession stranger(jid("alice@pbx.example/phone"));
  send(stranger, "<message to='bob@pbx.example'><body>hi</body></message>");
  EXPECT_TRUE(bob.take().empty());
  EXPECT_TRUE(stranger.take().empty());
}

// Accounts with empty rosters: nobody sees anybody's broadcasts.
class StrangersRoster final : public RosterSource {
public:
  std::vector<RosterItem> roster(const Jid& /*user*/) const override { return {}; }
  bool has_account(std::string_view localpart) const override {
    return localpart == "alice" || localpart == "bob";
  }
};

TEST(RouterWithoutSubscriptions, EntitySentDirectedPresenceHearsOfUnavailabilityOnly) {
  StrangersRoster strangers;
  AliceAndBobOnline online(strangers);
  auto& router = online.router;
  auto& alice = online.alice;
  auto& bob = online.bob;
  EXPECT_EQ(bob.take().size(), 1U); // only his own presence
  router.on_stanza(alice, alice.jid, stanza("<presence to='bob@pbx.example'/>"));
  EXPECT_EQ(bob.take().size(), 1U);
  router.on_stanza(alice, alice.jid, stanza("<presence><show>away</show></presence>"));
  EXPECT_TRUE(bob.take().empty());
  router.on_session_closed(alice, alice.jid);
  EXPECT_EQ(bob.take(), std::vector<std::string>{"<presence from='alice@pbx.example/phone' "
                                                 "type='unavailable' to='bob@pbx.example/desk'/>"});
}

} // namespace
} // namespace starling::xmpp::im
