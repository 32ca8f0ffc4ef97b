// The server's own entity capabilities (XEP-0115 §6.3): the 'ver' of its stream features
// matches its disco#info, and the caps node is answered.
#include <string>

#include <gtest/gtest.h>

#include "router_fixture.h"
#include "xmpp/im/caps_hash.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/im/server_iq.h"

namespace starling::xmpp::im {
namespace {

const Jid kAlice = jid("alice@pbx.example/desk");

xml::Element disco_info_request(std::string_view node = {}) {
  std::string query = "<query xmlns='http://jabber.org/protocol/disco#info'";
  if (!node.empty()) {
    query += " node='" + std::string(node) + "'";
  }
  return stanza("<iq type='get' id='d1' from='alice@pbx.example/desk' to='pbx.example'>" + query +
                "/></iq>");
}

std::string ver_of(const xml::Element& caps) {
  return std::string(caps.attribute("ver").value_or(""));
}

class ServerCapsTest : public ::testing::Test {
protected:
  ServerCapsTest() {
    server_iq_.add_feature(ServerIq::FeatureOf::server, "urn:xmpp:blocking");
    server_iq_.add_identity(ServerIq::FeatureOf::server, "pubsub", "service");
  }

  ServerIq server_iq_{std::string(kDomain)};
};

TEST_F(ServerCapsTest, VerIsTheHashOfTheServersDiscoInfo) {
  const auto caps = server_iq_.caps();
  EXPECT_TRUE(caps.is(kCapsNamespace, "c"));
  EXPECT_EQ(caps.attribute("hash"), "sha-1");
  const auto answer = server_iq_.answer(kAlice, disco_info_request());
  const auto* query = answer.child(kDiscoInfoNamespace, "query");
  ASSERT_NE(query, nullptr);
  const auto s = caps_verification_string(*query);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(caps_ver("sha-1", *s), ver_of(caps));
}

TEST_F(ServerCapsTest, AnswersDiscoInfoAtTheCapsNodeAndEchoesIt) {
  const auto caps = server_iq_.caps();
  const std::string node = std::string(caps.attribute("node").value_or("")) + "#" + ver_of(caps);
  const auto answer = server_iq_.answer(kAlice, disco_info_request(node));
  EXPECT_EQ(answer.attribute("type"), "result");
  const auto* query = answer.child(kDiscoInfoNamespace, "query");
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(query->attribute("node"), node);
  EXPECT_NE(query->child(kDiscoInfoNamespace, "feature"), nullptr);
}

TEST_F(ServerCapsTest, OtherNodesAreNotFound) {
  const auto answer = server_iq_.answer(kAlice, disco_info_request("urn:starling:pbx#stale"));
  EXPECT_EQ(error_condition(xml::serialize(answer)), "item-not-found");
}

TEST_F(ServerCapsTest, VerFollowsTheFeatures) {
  const auto before = ver_of(server_iq_.caps());
  server_iq_.add_feature(ServerIq::FeatureOf::server, "urn:xmpp:extdisco:2");
  EXPECT_NE(ver_of(server_iq_.caps()), before);
  server_iq_.add_feature(ServerIq::FeatureOf::account, "urn:xmpp:push:0");
  EXPECT_EQ(ver_of(server_iq_.caps()), ver_of(server_iq_.caps()));
}

} // namespace
} // namespace starling::xmpp::im
