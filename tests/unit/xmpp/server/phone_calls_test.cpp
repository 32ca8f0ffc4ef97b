// Which users are on the phone, from the PBX's call events.
#include <gtest/gtest.h>

#include "xmpp/server/phone_calls.h"

namespace starling::xmpp::server {
namespace {

using Changes = std::vector<PhoneStateChange>;

TEST(PhoneCalls, RingingIsNotYetOnThePhone) {
  PhoneCalls calls;
  EXPECT_EQ(calls.on_call("c1", {"alice"}, "ringing"), Changes{});
}

TEST(PhoneCalls, BothPartiesAreOnThePhoneFromTheAnswerToTheEnd) {
  PhoneCalls calls;
  (void)calls.on_call("c1", {"alice"}, "ringing");
  EXPECT_EQ(calls.on_call("c1", {"alice", "bob"}, "connected"),
            (Changes{{"alice", "connected"}, {"bob", "connected"}}));
  EXPECT_EQ(calls.on_call("c1", {"alice", "bob"}, "held"),
            (Changes{{"alice", "held"}, {"bob", "held"}}));
  EXPECT_EQ(calls.on_call("c1", {"alice", "bob"}, "ended"),
            (Changes{{"alice", std::nullopt}, {"bob", std::nullopt}}));
}

TEST(PhoneCalls, AnEndedEventWithoutPartiesStillEndsTheCallForEveryoneInIt) {
  PhoneCalls calls;
  (void)calls.on_call("c1", {"alice", "bob"}, "connected");
  EXPECT_EQ(calls.on_call("c1", {}, "ended"),
            (Changes{{"alice", std::nullopt}, {"bob", std::nullopt}}));
}

TEST(PhoneCalls, SecondCallKeepsTheUserOnThePhoneAndConnectedWinsOverHeld) {
  PhoneCalls calls;
  (void)calls.on_call("c1", {"alice", "bob"}, "connected");
  EXPECT_EQ(calls.on_call("c1", {"alice", "bob"}, "held"),
            (Changes{{"alice", "held"}, {"bob", "held"}}));
  EXPECT_EQ(calls.on_call("c2", {"alice", "carol"}, "connected"),
            (Changes{{"alice", "connected"}, {"carol", "connected"}}));
  EXPECT_EQ(calls.on_call("c1", {"alice", "bob"}, "ended"), (Changes{{"bob", std::nullopt}}));
  EXPECT_EQ(calls.on_call("c2", {"alice", "carol"}, "ended"),
            (Changes{{"alice", std::nullopt}, {"carol", std::nullopt}}));
}

TEST(PhoneCalls, RepeatedStatesChangeNothing) {
  PhoneCalls calls;
  (void)calls.on_call("c1", {"alice"}, "connected");
  EXPECT_EQ(calls.on_call("c1", {"alice"}, "connected"), Changes{});
  (void)calls.on_call("c1", {"alice"}, "ended");
  EXPECT_EQ(calls.on_call("c1", {"alice"}, "ended"), Changes{});
}

} // namespace
} // namespace starling::xmpp::server
