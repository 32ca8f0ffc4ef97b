// Do not disturb from chat clients: which presences switch a user's calls off and on again.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "router_fixture.h"
#include "xmpp/im/do_not_disturb_watch.h"

namespace starling::xmpp::im {
namespace {

class DoNotDisturbWatchTest : public RouterFixture {
protected:
  DoNotDisturbWatchTest() {
    watch_.set_listener([this](const std::string& user, bool on) { told_.emplace_back(user, on); });
    router_.add_resource_observer(watch_);
  }

  DoNotDisturbWatch watch_;
  std::vector<std::pair<std::string, bool>> told_;
};

using Told = std::vector<std::pair<std::string, bool>>;

TEST_F(DoNotDisturbWatchTest, DndPresenceSwitchesOnAndAnotherShowSwitchesOff) {
  auto& alice = online("alice@pbx.example/desk");
  send(alice, "<presence><show>dnd</show></presence>");
  send(alice, "<presence><show>dnd</show><status>writing</status></presence>");
  send(alice, "<presence><show>away</show></presence>");
  EXPECT_EQ(told_, (Told{{"alice", true}, {"alice", false}}));
}

TEST_F(DoNotDisturbWatchTest, StaysOnWhileAnyOwnResourceShowsDnd) {
  auto& desk = online("alice@pbx.example/desk");
  auto& mobile = online("alice@pbx.example/mobile");
  send(desk, "<presence><show>dnd</show></presence>");
  send(mobile, "<presence><show>dnd</show></presence>");
  send(desk, "<presence/>");
  EXPECT_EQ(told_, (Told{{"alice", true}}));
  send(mobile, "<presence type='unavailable'/>");
  EXPECT_EQ(told_, (Told{{"alice", true}, {"alice", false}}));
}

TEST_F(DoNotDisturbWatchTest, EndsWhenTheClientDisconnects) {
  auto& alice = online("alice@pbx.example/desk");
  send(alice, "<presence><show>dnd</show></presence>");
  close(alice);
  EXPECT_EQ(told_, (Told{{"alice", true}, {"alice", false}}));
}

TEST_F(DoNotDisturbWatchTest, BeingOnThePhoneIsNotDoNotDisturb) {
  online("alice@pbx.example/desk");
  router_.set_phone_call(jid("alice@pbx.example"), "connected");
  router_.set_phone_call(jid("alice@pbx.example"), std::nullopt);
  EXPECT_TRUE(told_.empty());
}

TEST_F(DoNotDisturbWatchTest, DirectedDndPresenceDoesNotCount) {
  auto& alice = online("alice@pbx.example/desk");
  send(alice, "<presence to='bob@pbx.example'><show>dnd</show></presence>");
  EXPECT_TRUE(told_.empty());
}

} // namespace
} // namespace starling::xmpp::im
