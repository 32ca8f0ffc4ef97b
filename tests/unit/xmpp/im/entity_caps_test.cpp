#include <gtest/gtest.h>

#include "../pep/pep_fixture.h"
#include "xmpp/im/entity_caps.h"

namespace starling::xmpp::im {
namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class EntityCapsTest : public pep::PepFixture {};

TEST_F(EntityCapsTest, AsksTheClientOnceAndLearnsItsFeatures) {
  auto& bob = connect("bob@pbx.example/desk");
  send(bob, "<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://c' "
            "ver='" +
                ver_of({"urn:a"}) + "'/></presence>");
  const auto asked = bob.take();
  ASSERT_FALSE(asked.empty());
  EXPECT_TRUE(
      contains(asked.back(), "<iq from='pbx.example' to='bob@pbx.example/desk' type='get'"));
  EXPECT_TRUE(contains(asked.back(), "node='https://c#" + ver_of({"urn:a"}) + "'"));
  EXPECT_EQ(caps_.features(bob.jid), nullptr);
  bob.delivered.push_back(stanza(asked.back()));
  answer_caps_query(bob, {"urn:a"});
  ASSERT_NE(caps_.features(bob.jid), nullptr);
  EXPECT_TRUE(caps_.features(bob.jid)->contains("urn:a"));
  send(bob, "<presence type='unavailable'/>");
  EXPECT_EQ(caps_.features(bob.jid), nullptr);
}

TEST_F(EntityCapsTest, AnAnswerThatDoesNotHashToTheVerIsNotBelieved) {
  auto& bob = connect("bob@pbx.example/desk");
  send(bob, "<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://c' "
            "ver='" +
                ver_of({"urn:a"}) + "'/></presence>");
  answer_caps_query(bob, {"urn:a", "urn:forged"});
  EXPECT_EQ(caps_.features(bob.jid), nullptr);
}

} // namespace
} // namespace starling::xmpp::im
