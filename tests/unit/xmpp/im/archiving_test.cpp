// Message archives (XEP-0313) through the router: what is archived, the stanza-id the
// recipient sees (XEP-0359), and archive queries answered when the archive answers.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "router_fixture.h"
#include "xmpp/im/archiving.h"
#include "xmpp/xml/serializer.h"

namespace starling::xmpp::im {
namespace {

constexpr std::string_view kQuery =
    "<iq type='set' id='q1'><query xmlns='urn:xmpp:mam:2' queryid='f27'>"
    "<x xmlns='jabber:x:data' type='submit'>"
    "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value></field>"
    "<field var='with'><value>bob@pbx.example</value></field></x></query></iq>";

class ArchivingTest : public RouterFixture {
protected:
  // owner → with: body, for each archived message in order.
  std::vector<std::string> archived() const {
    std::vector<std::string> out;
    for (const auto& entry : archive_.entries) {
      const auto* body = entry.message.child(xml::kClientNamespace, "body");
      out.push_back(entry.owner.to_string() + " → " + entry.with.to_string() + ": " +
                    (body != nullptr ? body->text() : ""));
    }
    return out;
  }
};

TEST_F(ArchivingTest, AChatMessageIsArchivedForBothUsersAndDeliveredWithItsStanzaId) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  send(alice, "<message to='bob@pbx.example' type='chat' id='m1'><body>hi</body></message>");
  EXPECT_EQ(archived(), (std::vector<std::string>{"alice@pbx.example → bob@pbx.example: hi",
                                                  "bob@pbx.example → alice@pbx.example: hi"}));
  EXPECT_EQ(bob.take(),
            std::vector<std::string>{
                "<message to='bob@pbx.example' type='chat' id='m1' "
                "from='alice@pbx.example/phone'><body>hi</body>"
                "<stanza-id xmlns='urn:xmpp:sid:0' id='archive-2' by='bob@pbx.example'/>"
                "</message>"});
}

TEST_F(ArchivingTest, AMessageForAnOfflineUserIsArchivedAndWaitsWithItsStanzaId) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='bob@pbx.example' id='m1'><body>later</body></message>");
  EXPECT_EQ(archived(), (std::vector<std::string>{"alice@pbx.example → bob@pbx.example: later",
                                                  "bob@pbx.example → alice@pbx.example: later"}));
  const auto& waiting = offline_.messages[jid("bob@pbx.example")];
  ASSERT_EQ(waiting.size(), 1U);
  const auto* stanza_id = waiting[0].child("urn:xmpp:sid:0", "stanza-id");
  ASSERT_NE(stanza_id, nullptr);
  EXPECT_EQ(stanza_id->attribute("id"), "archive-2");
}

TEST_F(ArchivingTest, ChatStatesNoStoreHintsHeadlinesAndErrorsAreNotArchived) {
  auto& alice = online("alice@pbx.example/phone");
  online("bob@pbx.example/desk");
  send(alice, "<message to='bob@pbx.example' type='chat'>"
              "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
  send(alice, "<message to='bob@pbx.example' type='chat'><body>secret</body>"
              "<no-store xmlns='urn:xmpp:hints'/></message>");
  send(alice, "<message to='bob@pbx.example' type='headline'><body>news</body></message>");
  send(alice, "<message to='bob@pbx.example' type='error'><body>oops</body></message>");
  send(alice, "<message to='bob@pbx.example'/>");
  EXPECT_TRUE(archive_.entries.empty());
}

TEST_F(ArchivingTest, AStanzaIdInTheNameOfThisDomainIsRemovedAndAForeignOneKept) {
  auto& alice = online("alice@pbx.example/phone");
  auto& bob = online("bob@pbx.example/desk");
  send(alice, "<message to='bob@pbx.example' type='chat'><body>hi</body>"
              "<stanza-id xmlns='urn:xmpp:sid:0' id='fake' by='bob@pbx.example'/>"
              "<stanza-id xmlns='urn:xmpp:sid:0' id='fake2' by='pbx.example'/>"
              "<stanza-id xmlns='urn:xmpp:sid:0' id='theirs' by='elsewhere.example'/></message>");
  EXPECT_EQ(bob.take(),
            std::vector<std::string>{
                "<message to='bob@pbx.example' type='chat' "
                "from='alice@pbx.example/phone'><body>hi</body>"
                "<stanza-id xmlns='urn:xmpp:sid:0' id='theirs' by='elsewhere.example'/>"
                "<stanza-id xmlns='urn:xmpp:sid:0' id='archive-2' by='bob@pbx.example'/>"
                "</message>"});
  ASSERT_EQ(archive_.entries.size(), 2U);
  EXPECT_EQ(archive_.entries[0].message.child("urn:xmpp:sid:0", "stanza-id")->attribute("id"),
            "theirs");
}

TEST_F(ArchivingTest, ANoteToSelfIsArchivedOnce) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<message to='alice@pbx.example' type='chat'><body>remember</body></message>");
  EXPECT_EQ(archived(),
            std::vector<std::string>{"alice@pbx.example → alice@pbx.example: remember"});
}

TEST_F(ArchivingTest, AQueryIsAnsweredWithResultsThenFinWhenTheArchiveAnswers) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, kQuery);
  EXPECT_TRUE(alice.take().empty());
  ASSERT_EQ(archive_.queries.size(), 1U);
  EXPECT_EQ(archive_.queries[0].owner, jid("alice@pbx.example"));
  EXPECT_EQ(archive_.queries[0].filter.with, jid("bob@pbx.example"));

  archive_.queries[0].answer(ArchivePage{
      .messages = {{.id = "a1",
                    .stored_at = std::chrono::sys_days(std::chrono::year(2026) / 1 / 1),
                    .message = stanza("<message to='bob@pbx.example'><body>hi</body></message>")}},
      .complete = true,
      .count = 1});
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 2U);
  EXPECT_NE(replies[0].find("<result xmlns='urn:xmpp:mam:2' queryid='f27' id='a1'>"),
            std::string::npos);
  EXPECT_NE(replies[0].find("stamp='2026-01-01T00:00:00Z'"), std::string::npos);
  EXPECT_NE(replies[1].find("<fin xmlns='urn:xmpp:mam:2' complete='true'>"), std::string::npos);
}

TEST_F(ArchivingTest, AnAnswerForAResourceThatLeftIsDropped) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, kQuery);
  close(alice);
  alice.take();
  ASSERT_EQ(archive_.queries.size(), 1U);
  archive_.queries[0].answer(ArchivePage{.complete = true});
  EXPECT_TRUE(alice.take().empty());
}

TEST_F(ArchivingTest, AnUnknownPageIsItemNotFound) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, kQuery);
  archive_.queries.at(0).answer(std::unexpected(StanzaErrorCondition::item_not_found));
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(error_condition(replies[0]), "item-not-found");
}

TEST_F(ArchivingTest, ABadFormIsRefusedWithoutAskingTheArchive) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<iq type='set' id='q1'><query xmlns='urn:xmpp:mam:2'>"
              "<x xmlns='jabber:x:data' type='submit'><field var='start'><value>soon</value>"
              "</field></x></query></iq>");
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(error_condition(replies[0]), "bad-request");
  EXPECT_TRUE(archive_.queries.empty());
}

TEST_F(ArchivingTest, OnlyTheUsersOwnArchiveCanBeQueried) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<iq type='set' id='q1' to='alice@pbx.example'><query xmlns='urn:xmpp:mam:2'/></iq>");
  send(alice, "<iq type='set' id='q2' to='bob@pbx.example'><query xmlns='urn:xmpp:mam:2'/></iq>");
  send(alice, "<iq type='set' id='q3' to='pbx.example'><query xmlns='urn:xmpp:mam:2'/></iq>");
  ASSERT_EQ(archive_.queries.size(), 1U);
  EXPECT_EQ(archive_.queries[0].owner, jid("alice@pbx.example"));
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 2U);
  EXPECT_EQ(error_condition(replies[0]), "service-unavailable");
  EXPECT_EQ(error_condition(replies[1]), "service-unavailable");
}

TEST_F(ArchivingTest, TheAccountAdvertisesItsArchiveAndItsQueryForm) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<iq type='get' id='d1' to='alice@pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  send(alice, "<iq type='get' id='f1'><query xmlns='urn:xmpp:mam:2'/></iq>");
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 2U);
  EXPECT_NE(replies[0].find("<feature var='urn:xmpp:mam:2'/>"), std::string::npos);
  EXPECT_EQ(replies[1],
            "<iq to='alice@pbx.example/phone' id='f1' type='result'>"
            "<query xmlns='urn:xmpp:mam:2'><x xmlns='jabber:x:data' type='form'>"
            "<field type='hidden' var='FORM_TYPE'><value>urn:xmpp:mam:2</value></field>"
            "<field type='jid-single' var='with'/><field type='text-single' var='start'/>"
            "<field type='text-single' var='end'/></x></query></iq>");
}

} // namespace
} // namespace starling::xmpp::im
