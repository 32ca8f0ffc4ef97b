// Message Carbons (XEP-0280): a user's other devices see both sides of each conversation.
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "router_fixture.h"

namespace starling::xmpp::im {
namespace {

constexpr std::string_view kEnable = "<iq type='set' id='c1'><enable xmlns='urn:xmpp:carbons:2'/>"
                                     "</iq>";

class CarbonsTest : public RouterFixture {
protected:
  // Online, with carbons enabled and the answer read.
  FakeSession& carbons_on(std::string_view full, int priority = 0) {
    auto& session = online(full, priority);
    send(session, kEnable);
    EXPECT_EQ(session.take().size(), 1U);
    return session;
  }
};

TEST_F(CarbonsTest, EnableAndDisableAreAnsweredWithEmptyResults) {
  auto& alice = connect("alice@pbx.example/phone");
  send(alice, kEnable);
  send(alice, "<iq type='set' id='c2' to='alice@pbx.example'>"
              "<enable xmlns='urn:xmpp:carbons:2'/></iq>");
  send(alice, "<iq type='set' id='c3' to='pbx.example'><disable xmlns='urn:xmpp:carbons:2'/></iq>");
  send(alice, "<iq type='set' id='c4'><disable xmlns='urn:xmpp:carbons:2'/></iq>");
  EXPECT_EQ(alice.take(),
            (std::vector<std::string>{
                "<iq to='alice@pbx.example/phone' id='c1' type='result'/>",
                "<iq from='alice@pbx.example' to='alice@pbx.example/phone' id='c2' type='result'/>",
                "<iq from='pbx.example' to='alice@pbx.example/phone' id='c3' type='result'/>",
                "<iq to='alice@pbx.example/phone' id='c4' type='result'/>"}));
}

TEST_F(CarbonsTest, ServerAdvertisesCarbonsInDiscoInfo) {
  auto& alice = connect("alice@pbx.example/phone");
  send(alice, "<iq type='get' id='d1' to='pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_NE(replies[0].find("<feature var='urn:xmpp:carbons:2'/>"), std::string::npos);
}

TEST_F(CarbonsTest, ReceivedMessageIsCopiedToTheOtherEnabledResourceOnly) {
  auto& desk = carbons_on("bob@pbx.example/desk", 5);
  auto& phone = carbons_on("bob@pbx.example/phone", 1);
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='bob@pbx.example' type='chat' id='m1'><body>hi</body></message>");
  EXPECT_EQ(
      desk.take(),
      std::vector<std::string>{
          "<message to='bob@pbx.example' type='chat' "
          "id='m1' from='alice@pbx.example/phone'>"
          "<body>hi</body>"
          "<stanza-id xmlns='urn:xmpp:sid:0' id='archive-2' by='bob@pbx.example'/></message>"});
  EXPECT_EQ(phone.take(),
            std::vector<std::string>{
                "<message from='bob@pbx.example' to='bob@pbx.example/phone' type='chat'>"
                "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
                "<message xmlns='jabber:client' to='bob@pbx.example' type='chat' id='m1' "
                "from='alice@pbx.example/phone'><body>hi</body>"
                "<stanza-id xmlns='urn:xmpp:sid:0' id='archive-2' by='bob@pbx.example'/></message>"
                "</forwarded></received></message>"});
  EXPECT_TRUE(alice.take().empty());
}

TEST_F(CarbonsTest, MessageToAFullJidIsCopiedToTheUsersOtherResources) {
  auto& desk = carbons_on("bob@pbx.example/desk");
  auto& phone = carbons_on("bob@pbx.example/phone");
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='bob@pbx.example/phone'><body>call me</body></message>");
  EXPECT_EQ(phone.take().size(), 1U);
  const auto copies = desk.take();
  ASSERT_EQ(copies.size(), 1U);
  EXPECT_NE(copies[0].find("<received xmlns='urn:xmpp:carbons:2'>"), std::string::npos);
}

TEST_F(CarbonsTest, SentMessageIsCopiedToTheSendersOtherEnabledResources) {
  auto& phone = online("alice@pbx.example/phone"); // sends without carbons: copies go anyway
  auto& laptop = carbons_on("alice@pbx.example/laptop");
  auto& bob = online("bob@pbx.example/desk");
  send(phone, "<message to='bob@pbx.example' type='chat' id='m2'><body>lunch?</body></message>");
  EXPECT_EQ(bob.take().size(), 1U);
  EXPECT_EQ(laptop.take(),
            std::vector<std::string>{
                "<message from='alice@pbx.example' to='alice@pbx.example/laptop' type='chat'>"
                "<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
                "<message xmlns='jabber:client' to='bob@pbx.example' type='chat' id='m2' "
                "from='alice@pbx.example/phone'><body>lunch?</body>"
                "<stanza-id xmlns='urn:xmpp:sid:0' id='archive-2' by='bob@pbx.example'/></message>"
                "</forwarded></sent></message>"});
  EXPECT_TRUE(phone.take().empty());
}

TEST_F(CarbonsTest, SendingResourceGetsNoCopyOfItsOwnMessage) {
  auto& phone = carbons_on("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  send(phone, "<message to='bob@pbx.example' type='chat'><body>hi</body></message>");
  EXPECT_EQ(bob.take().size(), 1U);
  EXPECT_TRUE(phone.take().empty());
}

TEST_F(CarbonsTest, SentCopyGoesOutWhenTheRecipientIsOffline) {
  auto& phone = online("alice@pbx.example/phone");
  auto& laptop = carbons_on("alice@pbx.example/laptop");
  send(phone, "<message to='bob@pbx.example' type='chat'><body>later</body></message>");
  const auto copies = laptop.take();
  ASSERT_EQ(copies.size(), 1U);
  EXPECT_NE(copies[0].find("<sent xmlns='urn:xmpp:carbons:2'>"), std::string::npos);
  // The stored message is the original, not a carbon (RFC 6121 §8.5.2.2.1).
  ASSERT_EQ(offline_.messages[jid("bob@pbx.example")].size(), 1U);
  EXPECT_EQ(xml::serialize(offline_.messages[jid("bob@pbx.example")][0]),
            "<message to='bob@pbx.example' type='chat' from='alice@pbx.example/phone'>"
            "<body>later</body><stanza-id xmlns='urn:xmpp:sid:0' id='archive-2' "
            "by='bob@pbx.example'/></message>");
}

TEST_F(CarbonsTest, ResourceWithoutCarbonsGetsNoCopies) {
  auto& desk = online("bob@pbx.example/desk", 5);
  auto& phone = online("bob@pbx.example/phone", 1);
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='bob@pbx.example' type='chat'><body>hi</body></message>");
  send(desk, "<message to='alice@pbx.example' type='chat'><body>hello</body></message>");
  EXPECT_EQ(desk.take().size(), 1U);
  EXPECT_TRUE(phone.take().empty());
}

TEST_F(CarbonsTest, DisabledCarbonsStopTheCopies) {
  auto& desk = online("bob@pbx.example/desk", 5);
  auto& phone = carbons_on("bob@pbx.example/phone", 1);
  send(phone, "<iq type='set' id='c9'><disable xmlns='urn:xmpp:carbons:2'/></iq>");
  EXPECT_EQ(phone.take().size(), 1U);
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='bob@pbx.example' type='chat'><body>hi</body></message>");
  EXPECT_EQ(desk.take().size(), 1U);
  EXPECT_TRUE(phone.take().empty());
}

TEST_F(CarbonsTest, PrivateMessageIsNotCopiedAndArrivesWithoutTheMarker) {
  auto& phone = online("alice@pbx.example/phone");
  auto& laptop = carbons_on("alice@pbx.example/laptop");
  auto& desk = online("bob@pbx.example/desk");
  auto& tablet = carbons_on("bob@pbx.example/tablet", -1);
  send(phone, "<message to='bob@pbx.example/desk' type='chat'><body>secret</body>"
              "<private xmlns='urn:xmpp:carbons:2'/></message>");
  EXPECT_EQ(
      desk.take(),
      std::vector<std::string>{
          "<message to='bob@pbx.example/desk' "
          "type='chat' from='alice@pbx.example/phone'>"
          "<body>secret</body>"
          "<stanza-id xmlns='urn:xmpp:sid:0' id='archive-2' by='bob@pbx.example'/></message>"});
  EXPECT_TRUE(laptop.take().empty());
  EXPECT_TRUE(tablet.take().empty());
}

TEST_F(CarbonsTest, NoCopyHintIsHonoured) {
  auto& phone = online("alice@pbx.example/phone");
  auto& laptop = carbons_on("alice@pbx.example/laptop");
  auto& desk = online("bob@pbx.example/desk");
  auto& tablet = carbons_on("bob@pbx.example/tablet", -1);
  send(phone, "<message to='bob@pbx.example/desk' type='chat'><body>just here</body>"
              "<no-copy xmlns='urn:xmpp:hints'/></message>");
  EXPECT_EQ(desk.take().size(), 1U);
  EXPECT_TRUE(laptop.take().empty());
  EXPECT_TRUE(tablet.take().empty());
}

TEST_F(CarbonsTest, OnlyChatAndNormalWithABodyAreCopied) {
  auto& phone = online("alice@pbx.example/phone");
  auto& laptop = carbons_on("alice@pbx.example/laptop");
  auto& desk = online("bob@pbx.example/desk");
  for (std::string_view not_copied : {
           "<message to='bob@pbx.example/desk' type='error'><error type='cancel'/></message>",
           "<message to='bob@pbx.example/desk' type='groupchat'><body>all</body></message>",
           "<message to='bob@pbx.example/desk' type='headline'><body>news</body></message>",
           "<message to='bob@pbx.example/desk'><active xmlns='http://jabber.org/protocol/"
           "chatstates'/></message>",
       }) {
    send(phone, not_copied);
  }
  EXPECT_TRUE(laptop.take().empty());
  send(phone, "<message to='bob@pbx.example/desk'><body>normal</body></message>");
  EXPECT_EQ(laptop.take().size(), 1U);
  (void)desk.take();
}

TEST_F(CarbonsTest, ForgedCarbonFromAClientIsRoutedUnderItsFullJidAndNotCopied) {
  auto& carol = online("carol@pbx.example/laptop");
  auto& desk = online("bob@pbx.example/desk", 5);
  auto& phone = carbons_on("bob@pbx.example/phone");
  // Carol pretends Bob's own account forwarded him a message Alice sent.
  send(carol, "<message to='bob@pbx.example' from='bob@pbx.example' type='chat'>"
              "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
              "<message xmlns='jabber:client' from='alice@pbx.example/phone' "
              "to='bob@pbx.example/desk' type='chat'><body>pay Carol</body></message>"
              "</forwarded></received></message>");
  // It arrives from Carol's full JID, never Bob's bare JID, so Bob's client ignores it as a
  // carbon (XEP-0280 §11); and it is not wrapped into a genuine carbon for his other device.
  const auto arrived = desk.take();
  ASSERT_EQ(arrived.size(), 1U);
  EXPECT_EQ(stanza(arrived[0]).attribute("from"), "carol@pbx.example/laptop");
  EXPECT_TRUE(phone.take().empty());
}

TEST_F(CarbonsTest, ForgedSentCarbonToOnesOwnAccountKeepsTheSendersFullJid) {
  auto& phone = carbons_on("alice@pbx.example/phone");
  auto& laptop = online("alice@pbx.example/laptop", -1);
  send(laptop, "<message type='chat'><sent xmlns='urn:xmpp:carbons:2'>"
               "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' "
               "from='alice@pbx.example/desk' to='bob@pbx.example' type='chat'>"
               "<body>never said</body></message></forwarded></sent></message>");
  const auto arrived = phone.take();
  ASSERT_EQ(arrived.size(), 1U);
  EXPECT_EQ(stanza(arrived[0]).attribute("from"), "alice@pbx.example/laptop");
}

} // namespace
} // namespace starling::xmpp::im
