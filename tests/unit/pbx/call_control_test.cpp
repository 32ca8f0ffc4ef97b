// Tests of call control's entry points: calls refused before ringing, the session interval
// agreed with the caller, requests matched to their call, and every call ended at shutdown.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "call_test_fixture.h"

namespace starling::pbx::test {
namespace {

using namespace std::chrono_literals;

// --- refused before ringing ---

TEST_F(CallControlTest, AnswersNotFoundForANumberNobodyHas) {
  register_bob(1);
  const auto invite = call(dialling("999"));
  EXPECT_EQ(statuses(invite), Codes{404});
  EXPECT_TRUE(signalling_.requests.empty());
  EXPECT_EQ(control_->active_calls(), 0U);
}

TEST_F(CallControlTest, AnswersBusyForAUserWhoSetDoNotDisturb) {
  register_bob(2);
  do_not_disturb_.set("bob", true);
  const auto invite = call();
  EXPECT_EQ(statuses(invite), Codes{486});
  EXPECT_TRUE(signalling_.requests.empty());
  EXPECT_EQ(control_->active_calls(), 0U);
}

TEST_F(CallControlTest, RingsAgainOnceDoNotDisturbIsOff) {
  register_bob(1);
  do_not_disturb_.set("bob", true);
  do_not_disturb_.set("bob", false);
  call();
  EXPECT_EQ(sent("INVITE", kDeskPort).size(), 1U);
}

TEST_F(CallControlTest, AnswersTooManyHopsWhenMaxForwardsReachedZero) {
  register_bob(1);
  const auto invite = call(with_max_forwards(0));
  EXPECT_EQ(statuses(invite), Codes{483});
  EXPECT_TRUE(signalling_.requests.empty());
}

TEST_F(CallControlTest, AnswersIntervalTooSmallWithMinSeForAShortSessionTimer) {
  register_bob(1);
  const auto invite =
      call(with_headers("Session-Expires: 30\r\nSupported: timer\r\n")); // RFC 4028 §8.1
  EXPECT_EQ(statuses(invite), Codes{422});
  EXPECT_EQ(last_response(invite).value(sip::HeaderId::min_se), "90");
  EXPECT_TRUE(signalling_.requests.empty());
}

// --- session interval (RFC 4028) ---

TEST_F(CallControlTest, AsksTheCallerToRefreshTheSessionItOffered) {
  register_bob(1);
  const auto invite = call(with_headers("Session-Expires: 1800\r\nSupported: timer\r\n"));
  reply(invite_to(kDeskPort), 200, "OK", callee_sdp());
  const auto& answer = last_response(invite);
  EXPECT_EQ(answer.value(sip::HeaderId::session_expires), "1800;refresher=uac");
  EXPECT_EQ(answer.value(sip::HeaderId::require), "timer");
}

TEST_F(CallControlTest, NeverOffersASessionIntervalBelowTheCallersMinSe) {
  // RFC 4028 §9: the UAS may lower Session-Expires, but not below the request's Min-SE.
  register_bob(1);
  const auto invite =
      call(with_headers("Session-Expires: 3600\r\nMin-SE: 2000\r\nSupported: timer\r\n"));
  reply(invite_to(kDeskPort), 200, "OK", callee_sdp());
  const auto value = last_response(invite).value(sip::HeaderId::session_expires);
  EXPECT_GE(std::stoi(std::string(value.substr(0, value.find(';')))), 2000) << value;
}

TEST_F(CallControlTest, DoesNotMakeACallerWithoutSessionTimersTheRefresher) {
  // RFC 4028 §9: a UAC that did not say Supported: timer cannot be the refresher; a
  // proxy inserted this Session-Expires.
  register_bob(1);
  const auto invite = call(with_headers("Session-Expires: 1800\r\n"));
  reply(invite_to(kDeskPort), 200, "OK", callee_sdp());
  EXPECT_EQ(last_response(invite).value(sip::HeaderId::session_expires).find("refresher=uac"),
            std::string_view::npos);
}

// --- the calls it knows ---

TEST_F(CallControlTest, ForgetsAnEndedCallAndFreesItsRelayPorts) {
  connected_call();
  (void)caller_sends("BYE", 2);
  EXPECT_EQ(relay_->open_streams(), 0U);
  timers_.advance(5s);
  EXPECT_EQ(control_->active_calls(), 0U);
  const auto late = caller_sends("BYE", 3);
  EXPECT_EQ(statuses(late), Codes{481});
}

TEST_F(CallControlTest, HangsUpEveryCallWhenStarlingStops) {
  connected_call();
  control_->hang_up_all();
  EXPECT_EQ(sent("BYE", kCallerPort).size(), 1U);
  EXPECT_EQ(sent("BYE", kDeskPort).size(), 1U);
  expect_ended(record_of("a"), "server_stopped", "system");
}

TEST_F(CallControlTest, HangsUpOneCallByItsIdAndOnlyOnce) {
  connected_call();
  const std::string id = record_of("a").call_id;
  EXPECT_FALSE(control_->hang_up("no-such-call"));
  EXPECT_TRUE(sent("BYE", kCallerPort).empty());

  EXPECT_TRUE(control_->hang_up(id));
  EXPECT_EQ(sent("BYE", kCallerPort).size(), 1U);
  EXPECT_EQ(sent("BYE", kDeskPort).size(), 1U);
  expect_ended(record_of("a"), "admin_hangup", "system");
  EXPECT_FALSE(control_->hang_up(id)) << "an ended call is no longer in progress";
}

} // namespace
} // namespace starling::pbx::test
