// Telephony presence in the router: a user on the phone shows as busy to colleagues, through
// their own resources and the server's phone resource, until the call ends.
#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "router_fixture.h"
#include "xmpp/im/phone_presence.h"

namespace starling::xmpp::im {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PhonePresenceTest : public RouterFixture {};

TEST_F(PhonePresenceTest, OwnResourcesShowOnThePhoneAndComeBackAfterTheCall) {
  auto& carol = online("carol@pbx.example/desk");
  auto& alice = connect("alice@pbx.example/desk");
  send(alice, "<presence><show>chat</show><status>free</status><priority>5</priority></presence>");
  carol.take();

  router_.set_phone_call(jid("alice@pbx.example"), "connected");
  const auto during = carol.take();
  ASSERT_EQ(during.size(), 2U); // alice's desk, then the phone resource
  EXPECT_THAT(during[0], HasSubstr("from='alice@pbx.example/desk'"));
  EXPECT_THAT(during[0], HasSubstr("<show>dnd</show><status>On the phone</status>"));
  EXPECT_THAT(during[0], HasSubstr("<priority>5</priority>"));
  EXPECT_THAT(during[0], HasSubstr("<call xmlns='urn:starling:call' state='connected'/>"));
  EXPECT_THAT(during[0], Not(HasSubstr("free")));
  EXPECT_THAT(during[1], HasSubstr("from='alice@pbx.example/starling-phone'"));
  EXPECT_THAT(during[1], HasSubstr("<priority>-1</priority>"));
  EXPECT_THAT(during[1], HasSubstr("<on_the_phone/>"));

  router_.set_phone_call(jid("alice@pbx.example"), std::nullopt);
  const auto after = carol.take();
  ASSERT_EQ(after.size(), 2U);
  EXPECT_THAT(after[0], HasSubstr("<show>chat</show><status>free</status>"));
  EXPECT_THAT(after[0], Not(HasSubstr("urn:starling:call")));
  EXPECT_THAT(after[1], HasSubstr("from='alice@pbx.example/starling-phone' type='unavailable'"));
}

TEST_F(PhonePresenceTest, ColleagueComingOnlineDuringTheCallSeesItInTheProbeAnswers) {
  online("alice@pbx.example/desk");
  router_.set_phone_call(jid("alice@pbx.example"), "held");
  auto& bob = connect("bob@pbx.example/laptop");
  send(bob, "<presence/>");
  const auto seen = bob.take();
  EXPECT_TRUE(std::ranges::any_of(seen, [](const std::string& presence) {
    return presence.find("from='alice@pbx.example/desk'") != std::string::npos &&
           presence.find("state='held'") != std::string::npos;
  }));
  EXPECT_TRUE(std::ranges::any_of(seen, [](const std::string& presence) {
    return presence.find("from='alice@pbx.example/starling-phone'") != std::string::npos;
  }));
}

TEST_F(PhonePresenceTest, PhoneResourceNeverTakesTheUsersMessages) {
  auto& bob = online("bob@pbx.example/laptop");
  router_.set_phone_call(jid("alice@pbx.example"), "connected");
  send(bob, "<message to='alice@pbx.example' type='chat'><body>call me</body></message>");
  ASSERT_EQ(offline_.messages[jid("alice@pbx.example")].size(), 1U);
}

TEST_F(PhonePresenceTest, UserWithoutClientsStillShowsOnThePhone) {
  auto& carol = online("carol@pbx.example/desk");
  router_.set_phone_call(jid("bob@pbx.example"), "connected");
  const auto during = carol.take();
  ASSERT_EQ(during.size(), 1U);
  EXPECT_THAT(during[0], HasSubstr("from='bob@pbx.example/starling-phone'"));
  router_.set_phone_call(jid("bob@pbx.example"), std::nullopt);
  EXPECT_THAT(carol.take(), ::testing::ElementsAre(HasSubstr("type='unavailable'")));
  router_.set_phone_call(jid("bob@pbx.example"), std::nullopt);
  EXPECT_TRUE(carol.take().empty()); // ending twice tells nobody anything
}

} // namespace
} // namespace starling::xmpp::im
