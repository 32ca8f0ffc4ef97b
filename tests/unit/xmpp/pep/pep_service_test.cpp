#include <gtest/gtest.h>

#include "pep_fixture.h"
#include "xmpp/pep/pep_service.h"

namespace starling::xmpp::pep {
namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

constexpr std::string_view kTune = "http://jabber.org/protocol/tune";
const std::string kTuneNotify = std::string(kTune) + "+notify";

std::string publish_tune(std::string_view id, std::string_view title,
                         std::string_view options = {}) {
  return "<iq type='set' id='pub'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
         "<publish node='http://jabber.org/protocol/tune'><item id='" +
         std::string(id) + "'><tune xmlns='http://jabber.org/protocol/tune'><title>" +
         std::string(title) + "</title></tune></item></publish>" + std::string(options) +
         "</pubsub></iq>";
}

std::string options(std::string_view fields) {
  return "<publish-options><x xmlns='jabber:x:data' type='submit'>"
         "<field var='FORM_TYPE' type='hidden'>"
         "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>" +
         std::string(fields) + "</x></publish-options>";
}

std::string field(std::string_view var, std::string_view value) {
  return "<field var='" + std::string(var) + "'><value>" + std::string(value) + "</value></field>";
}

std::string items_of_alice(std::string_view extra = {}) {
  return "<iq type='get' id='get' to='alice@pbx.example'>"
         "<pubsub xmlns='http://jabber.org/protocol/pubsub'>"
         "<items node='http://jabber.org/protocol/tune'" +
         std::string(extra) + "</pubsub></iq>";
}

using PepServiceTest = PepFixture;

TEST_F(PepServiceTest, PublishCreatesTheNodeAndNotifiesContactsThatAskedForIt) {
  auto& alice = online("alice@pbx.example/laptop");
  auto& bob = online_with_caps("bob@pbx.example/desk", {kTuneNotify});
  auto& carol = online_with_caps("carol@pbx.example/desk", {"urn:xmpp:ping"});
  alice.take();
  bob.take();
  carol.take();
  send(alice, publish_tune("t1", "Yesterday"));
  EXPECT_EQ(alice.take(), std::vector<std::string>{
                              "<iq to='alice@pbx.example/laptop' id='pub' type='result'>"
                              "<pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                              "<publish node='http://jabber.org/protocol/tune'><item id='t1'/>"
                              "</publish></pubsub></iq>"});
  EXPECT_EQ(bob.take(), std::vector<std::string>{
                            "<message from='alice@pbx.example' to='bob@pbx.example/desk' "
                            "type='headline' id='pep-1'>"
                            "<event xmlns='http://jabber.org/protocol/pubsub#event'>"
                            "<items node='http://jabber.org/protocol/tune'><item id='t1'>"
                            "<tune xmlns='http://jabber.org/protocol/tune'><title>Yesterday</title>"
                            "</tune></item></items></event></message>"});
  EXPECT_TRUE(carol.take().empty()); // no tune+notify in her client's caps
}

TEST_F(PepServiceTest, AContactComingOnlineGetsTheLastPublishedItem) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, publish_tune("t1", "Help"));
  send(alice, publish_tune("t2", "Yesterday"));
  auto& bob = online_with_caps("bob@pbx.example/desk", {kTuneNotify});
  const auto received = bob.take();
  ASSERT_EQ(received.size(), 1U);
  EXPECT_TRUE(contains(received[0], "<item id='t2'>"));
  // A second resource announcing the same caps is not asked again.
  auto& bob2 = connect("bob@pbx.example/phone");
  send(bob2, "<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
             "node='https://client.example' ver='" +
                 ver_of({kTuneNotify}) + "'/></presence>");
  const auto to_second = bob2.take();
  ASSERT_FALSE(to_second.empty());
  EXPECT_TRUE(contains(to_second.back(), "<item id='t2'>"));
  for (const auto& stanza : to_second) {
    EXPECT_FALSE(contains(stanza, "<iq"));
  }
}

TEST_F(PepServiceTest, ItemsComeBackNewestByMaxItemsOrById) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, publish_tune("t1", "Help", options(field("pubsub#max_items", "3"))));
  send(alice, publish_tune("t2", "Yesterday"));
  auto& bob = online("bob@pbx.example/desk");
  alice.take();
  send(bob, items_of_alice(" max_items='1'/>"));
  auto replies = bob.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_TRUE(contains(replies[0], "<item id='t2'>"));
  EXPECT_FALSE(contains(replies[0], "<item id='t1'>"));
  send(bob, items_of_alice("><item id='t1'/></items>"));
  replies = bob.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_TRUE(contains(replies[0], "<title>Help</title>"));
}

TEST_F(PepServiceTest, MaxItemsDropsTheOldestItems) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, publish_tune("t1", "Help"));
  send(alice, publish_tune("t2", "Yesterday")); // the default keeps one item
  alice.take();
  send(alice, items_of_alice("/>"));
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_TRUE(contains(replies[0], "<item id='t2'>"));
  EXPECT_FALSE(contains(replies[0], "t1"));
}

TEST_F(PepServiceTest, AWhitelistNodeIsTheOwnersAlone) {
  auto& alice = online_with_caps("alice@pbx.example/laptop", {kTuneNotify});
  auto& bob = online_with_caps("bob@pbx.example/desk", {kTuneNotify});
  alice.take();
  bob.take();
  send(alice, publish_tune("t1", "Help", options(field("pubsub#access_model", "whitelist"))));
  EXPECT_EQ(alice.take().size(), 2U); // the result and her own notification
  EXPECT_TRUE(bob.take().empty());
  send(bob, items_of_alice("/>"));
  const auto replies = bob.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(im::error_condition(replies[0]), "not-allowed");
  EXPECT_TRUE(
      contains(replies[0], "<closed-node xmlns='http://jabber.org/protocol/pubsub#errors'/>"));
}

TEST_F(PepServiceTest, PublishOptionsThatDoNotMatchTheNodeAreARefusedPrecondition) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, publish_tune("t1", "Help"));
  alice.take();
  send(alice, publish_tune("t2", "Yesterday", options(field("pubsub#access_model", "open"))));
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(im::error_condition(replies[0]), "conflict");
  EXPECT_TRUE(contains(replies[0], "<precondition-not-met"));
  send(alice, publish_tune("t3", "Yesterday", options(field("pubsub#access_model", "presence"))));
  EXPECT_EQ(im::error_condition(alice.take().at(0)), "");
}

TEST_F(PepServiceTest, RetractAndDeleteAreNotifiedAndTakeTheItemsAway) {
  auto& alice = online("alice@pbx.example/laptop");
  auto& bob = online_with_caps("bob@pbx.example/desk", {kTuneNotify});
  send(alice, publish_tune("t1", "Help"));
  bob.take();
  send(alice, "<iq type='set' id='r'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
              "<retract node='http://jabber.org/protocol/tune' notify='true'><item id='t1'/>"
              "</retract></pubsub></iq>");
  auto events = bob.take();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_TRUE(contains(events[0], "<retract id='t1'/>")) << events[0];
  send(alice, "<iq type='set' id='d'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'>"
              "<delete node='http://jabber.org/protocol/tune'/></pubsub></iq>");
  events = bob.take();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_TRUE(contains(events[0], "<delete node='http://jabber.org/protocol/tune'/>"));
  alice.take();
  send(alice, items_of_alice("/>"));
  EXPECT_EQ(im::error_condition(alice.take().at(0)), "item-not-found");
}

TEST_F(PepServiceTest, OnlyTheOwnerPublishesAndConfigures) {
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<iq type='set' id='x' to='alice@pbx.example'>"
            "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'><item>"
            "<x xmlns='urn:x'/></item></publish></pubsub></iq>");
  EXPECT_EQ(im::error_condition(bob.take().at(0)), "forbidden");
}

TEST_F(PepServiceTest, ConfigureShowsAndChangesTheAccessModel) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, publish_tune("t1", "Help"));
  alice.take();
  send(alice, "<iq type='get' id='c'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'>"
              "<configure node='http://jabber.org/protocol/tune'/></pubsub></iq>");
  EXPECT_TRUE(contains(alice.take().at(0), "<field var='pubsub#access_model' "
                                           "type='list-single'><value>presence</value>"));
  send(alice, "<iq type='set' id='c'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'>"
              "<configure node='http://jabber.org/protocol/tune'><x xmlns='jabber:x:data' "
              "type='submit'>" +
                  field("pubsub#access_model", "whitelist") + "</x></configure></pubsub></iq>");
  EXPECT_EQ(im::error_condition(alice.take().at(0)), "");
  auto& bob = online("bob@pbx.example/desk");
  send(bob, items_of_alice("/>"));
  EXPECT_EQ(im::error_condition(bob.take().at(0)), "not-allowed");
}

TEST_F(PepServiceTest, DiscoShowsThePepIdentityAndTheNodesARequesterMaySee) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, publish_tune("t1", "Help"));
  send(alice, "<iq type='set' id='b'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
              "<publish node='secret'><item id='s'><x xmlns='urn:x'/></item></publish>" +
                  options(field("pubsub#access_model", "whitelist")) + "</pubsub></iq>");
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<iq type='get' id='i' to='alice@pbx.example'>"
            "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  send(bob, "<iq type='get' id='j' to='alice@pbx.example'>"
            "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
  const auto replies = bob.take();
  ASSERT_EQ(replies.size(), 2U);
  EXPECT_TRUE(contains(replies[0], "<identity category='pubsub' type='pep'/>"));
  EXPECT_TRUE(contains(replies[0], "http://jabber.org/protocol/pubsub#publish-options"));
  EXPECT_EQ(replies[1], "<iq from='alice@pbx.example' to='bob@pbx.example/desk' id='j' "
                        "type='result'><query xmlns='http://jabber.org/protocol/disco#items'>"
                        "<item jid='alice@pbx.example' node='http://jabber.org/protocol/tune'/>"
                        "</query></iq>");
}

TEST_F(PepServiceTest, ItemsAreReadBackFromTheUserDataByANewService) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, publish_tune("t1", "Help"));
  PepNodes restarted(data_);
  const auto node = restarted.node("alice", kTune);
  ASSERT_TRUE(node);
  EXPECT_EQ(node->item_ids, std::vector<std::string>{"t1"});
  ASSERT_NE(restarted.item("alice", kTune, "t1"), nullptr);
}

TEST_F(PepServiceTest, PubsubToTheServerItselfIsNotPep) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, "<iq type='get' id='s' to='pbx.example'><pubsub "
              "xmlns='http://jabber.org/protocol/pubsub'><items node='n'/></pubsub></iq>");
  EXPECT_EQ(im::error_condition(alice.take().at(0)), "service-unavailable");
}

} // namespace
} // namespace starling::xmpp::pep
