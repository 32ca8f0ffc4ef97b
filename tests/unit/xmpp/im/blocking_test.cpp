// Blocking Command (XEP-0191) through the router: the blocklist requests, their pushes, and
// what a block stops in both directions.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "router_fixture.h"
#include "xmpp/im/blocking.h"
#include "xmpp/im/memory_user_data.h"

namespace starling::xmpp::im {
namespace {

class BlockingTest : public RouterFixture {
protected:
  BlockingTest() {
    router_.add_iq_handler(blocking_);
    router_.add_delivery_filter(blocking_);
  }
  void block(FakeSession& session, std::string_view jid) {
    send(session, "<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='" +
                      std::string(jid) + "'/></block></iq>");
  }

  MemoryUserData data_;
  Blocking blocking_{std::string(kDomain), router_.sessions(), data_};
};

TEST_F(BlockingTest, BlocklistStartsEmptyAndListsWhatWasBlocked) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<iq type='get' id='l1'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
  EXPECT_EQ(alice.take(),
            std::vector<std::string>{"<iq to='alice@pbx.example/phone' id='l1' type='result'>"
                                     "<blocklist xmlns='urn:xmpp:blocking'/></iq>"});
  block(alice, "Spam@Evil.Example");
  alice.take();
  send(alice, "<iq type='get' id='l2'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
  EXPECT_EQ(alice.take(),
            std::vector<std::string>{"<iq to='alice@pbx.example/phone' id='l2' type='result'>"
                                     "<blocklist xmlns='urn:xmpp:blocking'>"
                                     "<item jid='spam@evil.example'/></blocklist></iq>"});
  EXPECT_NE(data_.find("alice", kBlocklistKind, "spam@evil.example"), nullptr);
}

TEST_F(BlockingTest, BlockIsAnsweredThenPushedToTheResourcesThatAskedForTheList) {
  auto& phone = online("alice@pbx.example/phone");
  auto& desk = online("alice@pbx.example/desk");
  send(desk, "<iq type='get' id='l1'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
  desk.take();
  block(phone, "spam@evil.example");
  EXPECT_EQ(phone.take(),
            std::vector<std::string>{"<iq to='alice@pbx.example/phone' id='b1' type='result'/>"});
  EXPECT_EQ(desk.take(),
            std::vector<std::string>{"<iq to='alice@pbx.example/desk' type='set' id='block-push-1'>"
                                     "<block xmlns='urn:xmpp:blocking'>"
                                     "<item jid='spam@evil.example'/></block></iq>"});
}

TEST_F(BlockingTest, BlockWithoutItemsIsABadRequestAndAMalformedJidIsRefused) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'/></iq>");
  auto replies = alice.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(error_condition(replies[0]), "bad-request");
  block(alice, "a@@b");
  replies = alice.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(error_condition(replies[0]), "jid-malformed");
  EXPECT_TRUE(data_.list("alice", kBlocklistKind).empty());
}

TEST_F(BlockingTest, MessageToABlockedContactComesBackAsBlocked) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  block(alice, "bob@pbx.example");
  alice.take();
  bob.take();
  send(alice, "<message to='bob@pbx.example' type='chat' id='m1'><body>hi</body></message>");
  EXPECT_TRUE(bob.take().empty());
  EXPECT_EQ(alice.take(),
            std::vector<std::string>{
                "<message from='bob@pbx.example' to='alice@pbx.example/phone' id='m1' "
                "type='error'><body>hi</body><error type='modify'>"
                "<not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                "<blocked xmlns='urn:xmpp:blocking:errors'/></error></message>"});
}

TEST_F(BlockingTest, MessageFromABlockedContactIsRefusedAsIfTheUserWereOffline) {
  auto& bob = online("bob@pbx.example/desk");
  auto& alice = online("alice@pbx.example/phone");
  block(alice, "bob@pbx.example");
  close(alice);
  bob.take();
  send(bob, "<message to='alice@pbx.example' type='chat' id='m1'><body>hi</body></message>");
  auto replies = bob.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(error_condition(replies[0]), "service-unavailable");
  EXPECT_TRUE(offline_.messages[jid("alice@pbx.example")].empty());
}

TEST_F(BlockingTest, IqRequestFromABlockedContactIsServiceUnavailable) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  block(alice, "bob@pbx.example/desk");
  alice.take();
  bob.take();
  send(bob, "<iq to='alice@pbx.example/phone' type='get' id='v1'>"
            "<query xmlns='jabber:iq:version'/></iq>");
  EXPECT_TRUE(alice.take().empty());
  auto replies = bob.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(error_condition(replies[0]), "service-unavailable");
}

TEST_F(BlockingTest, BlockingTellsTheContactTheUserWentUnavailable) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  block(alice, "bob@pbx.example");
  EXPECT_EQ(bob.take(), std::vector<std::string>{"<presence type='unavailable' "
                                                 "from='alice@pbx.example/phone' "
                                                 "to='bob@pbx.example/desk'/>"});
}

TEST_F(BlockingTest, FilterKeepsBothDirectionsApartButLetsTheBlockedErrorThrough) {
  auto& alice = online("alice@pbx.example/phone");
  block(alice, "bob@pbx.example");
  const auto bob_desk = jid("bob@pbx.example/desk");
  const auto alice_phone = jid("alice@pbx.example/phone");
  EXPECT_FALSE(blocking_.allows(stanza("<presence from='alice@pbx.example/phone'/>"), bob_desk));
  EXPECT_FALSE(blocking_.allows(
      stanza("<message from='bob@pbx.example/desk'><body>x</body></message>"), alice_phone));
  EXPECT_TRUE(blocking_.allows(stanza("<message from='bob@pbx.example' type='error'><error "
                                      "type='modify'><blocked xmlns='urn:xmpp:blocking:errors'/>"
                                      "</error></message>"),
                               alice_phone));
  // Alice's messages to Bob are stopped before routing; only her presence is filtered here.
  EXPECT_TRUE(blocking_.allows(stanza("<message from='carol@pbx.example/x'/>"), alice_phone));
  EXPECT_TRUE(blocking_.allows(stanza("<iq from='pbx.example' type='result'/>"), alice_phone));
}

TEST_F(BlockingTest, ItemsMatchAsXep0016Says) {
  auto& alice = online("alice@pbx.example/phone");
  block(alice, "evil.example");
  block(alice, "bob@pbx.example/desk");
  block(alice, "other.example/bot");
  EXPECT_TRUE(blocking_.blocks("alice", jid("anyone@evil.example/r")));
  EXPECT_TRUE(blocking_.blocks("alice", jid("evil.example")));
  EXPECT_TRUE(blocking_.blocks("alice", jid("bob@pbx.example/desk")));
  EXPECT_FALSE(blocking_.blocks("alice", jid("bob@pbx.example/phone")));
  EXPECT_FALSE(blocking_.blocks("alice", jid("bob@pbx.example")));
  EXPECT_TRUE(blocking_.blocks("alice", jid("someone@other.example/bot")));
  EXPECT_FALSE(blocking_.blocks("alice", jid("someone@other.example/human")));
  EXPECT_FALSE(blocking_.blocks("bob", jid("anyone@evil.example/r")));
}

TEST_F(BlockingTest, UnblockAllEmptiesTheListPushesAnEmptyUnblockAndRestoresPresence) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  send(alice, "<iq type='get' id='l1'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
  block(alice, "bob@pbx.example");
  block(alice, "carol@pbx.example");
  alice.take();
  bob.take();
  send(alice, "<iq type='set' id='u1'><unblock xmlns='urn:xmpp:blocking'/></iq>");
  EXPECT_TRUE(data_.list("alice", kBlocklistKind).empty());
  const auto replies = alice.take();
  ASSERT_GE(replies.size(), 2U);
  EXPECT_EQ(replies[0], "<presence from='bob@pbx.example/desk' to='alice@pbx.example/phone'>"
                        "<priority>0</priority></presence>");
  EXPECT_EQ(replies[replies.size() - 1],
            "<iq to='alice@pbx.example/phone' type='set' id='block-push-3'>"
            "<unblock xmlns='urn:xmpp:blocking'/></iq>");
  EXPECT_EQ(bob.take(), std::vector<std::string>{
                            "<presence from='alice@pbx.example/phone' to='bob@pbx.example/desk'>"
                            "<priority>0</priority></presence>"});
}

} // namespace
} // namespace starling::xmpp::im
