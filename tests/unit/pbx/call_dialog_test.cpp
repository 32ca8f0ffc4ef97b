// Tests of calls once answered: BYE, re-INVITE (hold, resume, glare), INFO, media supervision
// and the session timer, as the phones on both sides see them.
#include <chrono>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include "call_test_fixture.h"

namespace starling::pbx::test {
namespace {

using namespace std::chrono_literals;

// --- hanging up ---

TEST_F(CallControlTest, HangsUpTheCalleeWhenTheCallerSaysBye) {
  connected_call();
  const auto bye = caller_sends("BYE", 2);
  EXPECT_EQ(statuses(bye), Codes{200});

  const auto byes = sent("BYE", kDeskPort);
  ASSERT_EQ(byes.size(), 1U);
  const auto request = parsed(byes.front()->message);
  EXPECT_EQ(byes.front()->message.request_line().request_uri, "sip:bob@127.0.0.1:5070;ob");
  EXPECT_EQ(request.cseq.number, 2U);
  EXPECT_EQ(request.to.tag(), "bob-tag");

  expect_ended(record_of("a"), "normal", "caller");
  expect_ended(record_of("b1"), "normal", "caller");
  EXPECT_EQ(states().back(), CallState::ended);
  EXPECT_EQ(events_seen_.back().hangup_cause, "normal");
}

TEST_F(CallControlTest, HangsUpTheCallerWhenTheCalleeSaysBye) {
  connected_call();
  const auto bye = callee_sends(invite_to(kDeskPort), "BYE", 2);
  EXPECT_EQ(statuses(bye), Codes{200});

  const auto byes = sent("BYE", kCallerPort);
  ASSERT_EQ(byes.size(), 1U);
  const auto request = parsed(byes.front()->message);
  EXPECT_EQ(byes.front()->message.request_line().request_uri, "sip:alice-desk@127.0.0.1:5062");
  EXPECT_EQ(request.call_id, "alice-call");
  EXPECT_EQ(request.to.tag(), "alice-tag");
  EXPECT_EQ(request.from.tag(), caller_to_tag());
  expect_ended(record_of("a"), "normal", "callee");
}

TEST_F(CallControlTest, AnswersOutOfOrderRequestsWithServerError) {
  connected_call();
  (void)caller_sends("OPTIONS", 5);
  const auto old = caller_sends("BYE", 4); // RFC 3261 §12.2.2
  EXPECT_EQ(statuses(old), Codes{500});
  EXPECT_EQ(record_of("a").state, "connected");
}

TEST_F(CallControlTest, IgnoresAByeFromADeviceWhoseLateAnswerWasHungUp) {
  // RFC 3261 §12: a dialog is Call-ID, local tag *and* remote tag. Every fork shares
  // Starling's Call-ID and From tag, so only the remote tag tells the winner from a loser.
  register_bob(2);
  call();
  auto& desk = invite_to(kDeskPort);
  auto& soft = invite_to(kSoftPort);
  reply(desk, 200, "OK", callee_sdp());
  caller_acks();
  reply(soft, 200, "OK", callee_sdp(), "soft-tag");
  const auto bye = callee_sends(soft, "BYE", 2, {}, "soft-tag");
  EXPECT_EQ(statuses(bye), Codes{481});
  EXPECT_TRUE(sent("BYE", kCallerPort).empty());
  EXPECT_EQ(record_of("a").state, "connected");
}

// --- re-INVITE: hold, resume, glare ---

TEST_F(CallControlTest, PassesTheCallersHoldToTheCalleeAndItsAnswerBack) {
  connected_call();
  const auto hold = caller_sends("INVITE", 2, caller_sdp("sendonly"));
  EXPECT_EQ(statuses(hold), Codes{100});

  const auto invites = sent("INVITE", kDeskPort);
  ASSERT_EQ(invites.size(), 2U);
  auto& reinvite = *invites.back();
  const auto request = parsed(reinvite.message);
  EXPECT_EQ(request.cseq.number, 2U);
  EXPECT_EQ(request.to.tag(), "bob-tag");
  EXPECT_EQ(media_line(reinvite.message).direction, "sendonly");
  EXPECT_EQ(media_line(reinvite.message).address, kStarlingAddress);

  reply(reinvite, 200, "OK", callee_sdp("recvonly"));
  const auto acks = acks_to(kDeskPort);
  ASSERT_EQ(acks.size(), 2U);
  EXPECT_EQ(parsed(*acks.back()).cseq.number, 2U);
  EXPECT_EQ(statuses(hold), (Codes{100, 200}));
  EXPECT_EQ(media_line(last_response(hold)).direction, "recvonly");
  EXPECT_EQ(media_line(last_response(hold)).address, kStarlingAddress);
  EXPECT_EQ(states().back(), CallState::held);
  EXPECT_EQ(record_of("a").state, "held");
}

TEST_F(CallControlTest, ResumesAHeldCall) {
  connected_call();
  (void)caller_sends("INVITE", 2, caller_sdp("sendonly"));
  reply(*sent("INVITE", kDeskPort).back(), 200, "OK", callee_sdp("recvonly"));
  caller_acks(2);
  const auto resume = caller_sends("INVITE", 3, caller_sdp("sendrecv"));
  reply(*sent("INVITE", kDeskPort).back(), 200, "OK", callee_sdp("sendrecv"));
  EXPECT_EQ(statuses(resume), (Codes{100, 200}));
  EXPECT_EQ(states().back(), CallState::connected);
}

TEST_F(CallControlTest, AnswersRequestPendingToAReInviteThatCrossesAnother) {
  connected_call();
  const auto hold = caller_sends("INVITE", 2, caller_sdp("sendonly"));
  const auto glare = callee_sends(invite_to(kDeskPort), "INVITE", 2, callee_sdp());
  EXPECT_EQ(statuses(glare), Codes{491}); // RFC 3261 §14.2
  EXPECT_EQ(sent("INVITE", kCallerPort).size(), 0U);

  reply(*sent("INVITE", kDeskPort).back(), 200, "OK", callee_sdp("recvonly"));
  EXPECT_EQ(statuses(hold), (Codes{100, 200}));
}

TEST_F(CallControlTest, PassesTheCalleesRejectionOfAReInviteBack) {
  connected_call();
  const auto reinvite = caller_sends("INVITE", 2, caller_sdp());
  reply(*sent("INVITE", kDeskPort).back(), 488, "Not Acceptable Here");
  EXPECT_EQ(statuses(reinvite), (Codes{100, 488}));
  EXPECT_EQ(record_of("a").state, "connected");
}

TEST_F(CallControlTest, AnswersACalleesSessionRefreshWithTheSdpItWasSent) {
  // A re-INVITE without an offer is answered with the SDP this leg already has (RFC 3264 §8:
  // same o= version when nothing changed); that is the relay's offer, never the caller's SDP.
  connected_call();
  const MediaLine offered = media_line(invite_to(kDeskPort).message);
  const auto refresh = callee_sends(invite_to(kDeskPort), "INVITE", 2);
  ASSERT_EQ(statuses(refresh), Codes{200});
  const MediaLine answered = media_line(last_response(refresh));
  EXPECT_EQ(answered.address, kStarlingAddress);
  EXPECT_EQ(answered.port, offered.port);
}

TEST_F(CallControlTest, AcknowledgesARetransmittedAnswerToAReInvite) {
  // RFC 3261 §13.2.2.4: every 2xx to an INVITE is acknowledged, re-INVITEs included. The
  // transaction passes retransmitted 2xx up (RFC 6026 §8.4), but on_offer_response drops
  // them once nothing is pending: after a lost ACK the callee ends the call (§13.3.1.4).
  connected_call();
  (void)caller_sends("INVITE", 2, caller_sdp("sendonly"));
  auto& reinvite = *sent("INVITE", kDeskPort).back();
  reply(reinvite, 200, "OK", callee_sdp("recvonly"));
  reply(reinvite, 200, "OK", callee_sdp("recvonly"));
  EXPECT_EQ(acks_to(kDeskPort).size(), 3U); // one for the INVITE, two for the re-INVITE
}

// --- requests passed through ---

TEST_F(CallControlTest, PassesDtmfInfoToTheCalleeAndItsAnswerBack) {
  connected_call();
  const auto info =
      caller_sends("INFO", 2, "Signal=5\r\nDuration=160\r\n", {}, "application/dtmf-relay");
  const auto infos = sent("INFO", kDeskPort);
  ASSERT_EQ(infos.size(), 1U);
  EXPECT_EQ(infos.front()->message.value(sip::HeaderId::content_type), "application/dtmf-relay");
  EXPECT_EQ(infos.front()->message.body(), "Signal=5\r\nDuration=160\r\n");
  EXPECT_TRUE(statuses(info).empty());
  reply(*infos.front(), 200, "OK");
  EXPECT_EQ(statuses(info), Codes{200});
}

// --- media supervision ---

TEST_F(CallControlTest, HangsUpBothPhonesWhenNoMediaFlowsForTheMediaTimeout) {
  connected_call();
  timers_.advance(59s);
  EXPECT_TRUE(sent("BYE", kCallerPort).empty());
  timers_.advance(2s);
  EXPECT_EQ(sent("BYE", kCallerPort).size(), 1U);
  EXPECT_EQ(sent("BYE", kDeskPort).size(), 1U);
  expect_ended(record_of("a"), "media_timeout", "system");
  expect_ended(record_of("b1"), "media_timeout", "system");
}

TEST_F(CallControlTest, KeepsAHeldCallAlthoughNoMediaFlows) {
  connected_call();
  (void)caller_sends("INVITE", 2, caller_sdp("sendonly"));
  reply(*sent("INVITE", kDeskPort).back(), 200, "OK", callee_sdp("recvonly"));
  caller_acks(2);
  timers_.advance(125s);
  EXPECT_TRUE(sent("BYE", kCallerPort).empty());
  EXPECT_EQ(record_of("a").state, "held");
}

TEST_F(CallControlTest, KeepsACallWhoseMediaFlows) {
  const auto invite = connected_call();
  const std::uint16_t relay_port = media_line(last_response(invite)).port;
  boost::asio::io_context io;
  boost::asio::ip::udp::socket phone(
      io, boost::asio::ip::udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const std::string rtp("\x80\x00\x00\x01\x00\x00\x00\xa0\x12\x34\x56\x78", 12);
  phone.send_to(boost::asio::buffer(rtp), {boost::asio::ip::make_address("127.0.0.1"), relay_port});
  auto& relayed = metrics_.counter("starling_media_packets_relayed_total", "");
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (relayed.value() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_GT(relayed.value(), 0U);
  timers_.advance(61s);
  EXPECT_TRUE(sent("BYE", kCallerPort).empty());
}

TEST_F(CallControlTest, KeepsSupervisingMediaWhenTheCalleeRefusesAHold) {
  // RFC 3261 §14.1: after a non-2xx to a re-INVITE the session is as if it never was sent.
  connected_call();
  (void)caller_sends("INVITE", 2, caller_sdp("sendonly"));
  reply(*sent("INVITE", kDeskPort).back(), 488, "Not Acceptable Here");
  timers_.advance(61s);
  EXPECT_EQ(sent("BYE", kDeskPort).size(), 1U);
}

// --- session timer ---

TEST_F(CallControlTest, EndsACallWhoseCallerStopsRefreshingTheSession) {
  register_bob(1);
  call(with_headers("Session-Expires: 90\r\nSupported: timer\r\n"));
  reply(invite_to(kDeskPort), 200, "OK", callee_sdp());
  caller_acks();
  // Media would time out first; keep the call held so that only the session timer runs.
  (void)caller_sends("INVITE", 2, caller_sdp("sendonly"));
  reply(*sent("INVITE", kDeskPort).back(), 200, "OK", callee_sdp("recvonly"));
  caller_acks(2);
  timers_.advance(59s); // the re-INVITE refreshed the session: 90 - 30 s from now
  EXPECT_TRUE(sent("BYE", kCallerPort).empty());
  timers_.advance(2s);
  EXPECT_EQ(sent("BYE", kCallerPort).size(), 1U);
  expect_ended(record_of("a"), "session_expired", "system");
}

} // namespace
} // namespace starling::pbx::test
