// Tests of call set-up through the B2BUA: what the caller's and the callees' phones receive
// while the INVITE is forked, answered, refused, cancelled or unanswered, and the records.
#include <algorithm>
#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "call_test_fixture.h"

namespace starling::pbx::test {
namespace {

using namespace std::chrono_literals;

// --- one device ---

TEST_F(CallControlTest, AnswersTemporarilyUnavailableWhenNoDeviceIsRegistered) {
  const auto invite = call();
  EXPECT_EQ(statuses(invite), (Codes{100, 480}));
  expect_ended(record_of("a"), "unavailable", "callee");
}

TEST_F(CallControlTest, RingsTheRegisteredContactWithAnOfferNamingTheRelay) {
  register_bob(1);
  const auto invite = call();
  EXPECT_EQ(statuses(invite), Codes{100});

  const auto& fork = invite_to(kDeskPort);
  const auto request = parsed(fork.message);
  EXPECT_EQ(fork.message.request_line().request_uri, "sip:bob-desk@127.0.0.1:5070");
  EXPECT_EQ(request.max_forwards, 69U);
  EXPECT_EQ(request.from.display_name, "Alice");
  EXPECT_FALSE(request.from.tag().empty());
  EXPECT_NE(request.from.tag(), "alice-tag"); // a dialog of Starling's own
  EXPECT_NE(request.call_id, "alice-call");
  EXPECT_EQ(request.to.uri.text, "sip:201@192.0.2.1");
  EXPECT_TRUE(branch_of(fork.message).starts_with("z9hG4bK"));

  const MediaLine offer = media_line(fork.message);
  EXPECT_EQ(offer.address, kStarlingAddress);
  EXPECT_NE(offer.port, kCallerRtpPort);
  EXPECT_EQ(offer.port % 2, 0);
  EXPECT_EQ(relay_->open_streams(), 1U);

  EXPECT_EQ(states(), std::vector<CallState>{CallState::ringing});
  EXPECT_EQ(record_of("a").state, "ringing");
  EXPECT_EQ(record_of("b1").device, "bob-desk");
}

TEST_F(CallControlTest, RelaysRingingToTheCaller) {
  register_bob(1);
  const auto invite = call();
  reply(invite_to(kDeskPort), 180, "Ringing");
  EXPECT_EQ(statuses(invite), (Codes{100, 180}));
  const auto& ringing = last_response(invite);
  EXPECT_FALSE(parsed_response(ringing).to.tag().empty());
  EXPECT_FALSE(ringing.value(sip::HeaderId::contact).empty());
}

TEST_F(CallControlTest, AcknowledgesTheCalleesAnswerAndAnswersTheCallerThroughTheRelay) {
  register_bob(1);
  const auto invite = call();
  auto& fork = invite_to(kDeskPort);
  const std::uint16_t callee_port = media_line(fork.message).port;
  reply(fork, 180, "Ringing");
  reply(fork, 200, "OK", callee_sdp());

  const auto acks = acks_to(kDeskPort);
  ASSERT_EQ(acks.size(), 1U);
  const auto ack = parsed(*acks.front());
  EXPECT_EQ(acks.front()->request_line().request_uri, "sip:bob@127.0.0.1:5070;ob");
  EXPECT_EQ(ack.cseq.number, 1U);
  EXPECT_EQ(ack.to.tag(), "bob-tag");
  EXPECT_EQ(ack.call_id, parsed(fork.message).call_id);

  EXPECT_EQ(statuses(invite), (Codes{100, 180, 200}));
  const MediaLine answer = media_line(last_response(invite));
  EXPECT_EQ(answer.address, kStarlingAddress);
  EXPECT_NE(answer.port, callee_port); // the caller's side of the relay
  EXPECT_NE(answer.port, kCalleeRtpPort);

  EXPECT_EQ(states(), (std::vector<CallState>{CallState::ringing, CallState::connected}));
  EXPECT_EQ(events_seen_.back().device, "bob-desk");
  EXPECT_EQ(record_of("a").state, "connected");
  EXPECT_NE(record_of("b1").answered_at, 0);
}

// --- several devices ---

TEST_F(CallControlTest, RingsEveryContactOfTheCalleeInOneCall) {
  register_bob(2);
  call();
  const auto& desk = invite_to(kDeskPort);
  const auto& soft = invite_to(kSoftPort);
  EXPECT_EQ(parsed(desk.message).call_id, parsed(soft.message).call_id);
  EXPECT_NE(branch_of(desk.message), branch_of(soft.message));
  EXPECT_EQ(record_of("b1").device, "bob-desk");
  EXPECT_EQ(record_of("b2").device, "bob-soft");
}

TEST_F(CallControlTest, CancelsTheOtherRingingDeviceWhenOneAnswers) {
  register_bob(2);
  const auto invite = call();
  auto& desk = invite_to(kDeskPort);
  auto& soft = invite_to(kSoftPort);
  reply(desk, 180, "Ringing");
  reply(soft, 180, "Ringing", {}, "soft-tag");
  reply(desk, 200, "OK", callee_sdp());

  EXPECT_TRUE(sent("CANCEL", kDeskPort).empty());
  const auto cancels = sent("CANCEL", kSoftPort);
  ASSERT_EQ(cancels.size(), 1U);
  const auto cancel = parsed(cancels.front()->message);
  EXPECT_EQ(branch_of(cancels.front()->message), branch_of(soft.message)); // RFC 3261 §9.1
  EXPECT_EQ(cancel.cseq.number, 1U);
  EXPECT_EQ(cancel.cseq.method, "CANCEL");
  EXPECT_EQ(cancels.front()->message.request_line().request_uri,
            soft.message.request_line().request_uri);

  reply(soft, 487, "Request Terminated", {}, "soft-tag");
  EXPECT_EQ(statuses(invite), (Codes{100, 180, 200}));
  expect_ended(record_of("b2"), "answered_elsewhere", "system");
  EXPECT_EQ(record_of("b1").state, "connected");
}

TEST_F(CallControlTest, CancelsADeviceThatHasNotRungOnlyOnceItRings) {
  register_bob(2);
  call();
  auto& desk = invite_to(kDeskPort);
  auto& soft = invite_to(kSoftPort);
  reply(desk, 200, "OK", callee_sdp());
  EXPECT_TRUE(sent("CANCEL", kSoftPort).empty()); // RFC 3261 §9.1: not before a provisional
  reply(soft, 180, "Ringing", {}, "soft-tag");
  EXPECT_EQ(sent("CANCEL", kSoftPort).size(), 1U);
}

TEST_F(CallControlTest, AcknowledgesAndHangsUpASecondDeviceThatAnswersLate) {
  register_bob(2);
  const auto invite = call();
  auto& desk = invite_to(kDeskPort);
  auto& soft = invite_to(kSoftPort);
  reply(desk, 200, "OK", callee_sdp());
  reply(soft, 200, "OK", callee_sdp(), "soft-tag"); // crossed the CANCEL, or had no 1xx yet

  EXPECT_EQ(acks_to(kSoftPort).size(), 1U); // RFC 3261 §13.2.2.4
  const auto byes = sent("BYE", kSoftPort);
  ASSERT_EQ(byes.size(), 1U);
  EXPECT_EQ(parsed(byes.front()->message).to.tag(), "soft-tag");
  EXPECT_EQ(statuses(invite), (Codes{100, 200}));
  EXPECT_TRUE(sent("BYE", kDeskPort).empty());
}

TEST_F(CallControlTest, PassesBusyOnWhenEveryDeviceIsBusy) {
  register_bob(2);
  const auto invite = call();
  reply(invite_to(kDeskPort), 486, "Busy Here");
  EXPECT_EQ(statuses(invite), Codes{100}); // the other device may still answer
  reply(invite_to(kSoftPort), 486, "Busy Here", {}, "soft-tag");
  EXPECT_EQ(statuses(invite), (Codes{100, 486}));
  expect_ended(record_of("a"), "busy", "callee");
  expect_ended(record_of("b1"), "busy", "callee");
}

TEST_F(CallControlTest, PrefersBusyToADeviceThatNeverAnswered) {
  register_bob(2);
  const auto invite = call();
  time_out(invite_to(kSoftPort));
  reply(invite_to(kDeskPort), 486, "Busy Here");
  EXPECT_EQ(statuses(invite), (Codes{100, 486}));
}

TEST_F(CallControlTest, AnswersUnavailableRatherThanPassingOnACalleesChallenge) {
  register_bob(1);
  const auto invite = call();
  reply(invite_to(kDeskPort), 407, "Proxy Authentication Required");
  EXPECT_EQ(statuses(invite), (Codes{100, 480}));
}

TEST_F(CallControlTest, StopsRingingTheOtherDevicesWhenOneDeclines) {
  // RFC 3261 §16.7 step 5: a 6xx ends the search; the other branches are cancelled and the
  // 6xx goes to the caller (a global failure: the callee declines everywhere).
  register_bob(2);
  const auto invite = call();
  reply(invite_to(kSoftPort), 180, "Ringing", {}, "soft-tag");
  reply(invite_to(kDeskPort), 603, "Decline");
  EXPECT_EQ(sent("CANCEL", kSoftPort).size(), 1U);
  reply(invite_to(kSoftPort), 487, "Request Terminated", {}, "soft-tag");
  EXPECT_EQ(statuses(invite).back(), 603);
  expect_ended(record_of("a"), "declined", "callee");
}

// --- cancelled, unanswered ---

TEST_F(CallControlTest, CancelsTheRingingDevicesWhenTheCallerCancels) {
  register_bob(2);
  const auto invite = call();
  reply(invite_to(kDeskPort), 180, "Ringing");
  caller_cancels(invite);

  EXPECT_EQ(sent("CANCEL", kDeskPort).size(), 1U);
  EXPECT_TRUE(sent("CANCEL", kSoftPort).empty()); // no provisional from it yet
  EXPECT_EQ(statuses(invite), (Codes{100, 180, 487}));
  expect_ended(record_of("a"), "cancelled", "caller");
  expect_ended(record_of("b1"), "cancelled", "caller");

  reply(invite_to(kSoftPort), 180, "Ringing", {}, "soft-tag");
  EXPECT_EQ(sent("CANCEL", kSoftPort).size(), 1U);
}

TEST_F(CallControlTest, IgnoresACancelThatArrivesAfterTheAnswer) {
  register_bob(1);
  const auto invite = call();
  reply(invite_to(kDeskPort), 200, "OK", callee_sdp());
  caller_cancels(invite); // RFC 3261 §9.2
  EXPECT_EQ(statuses(invite), (Codes{100, 200}));
  EXPECT_TRUE(sent("CANCEL", kDeskPort).empty());
  EXPECT_EQ(record_of("a").state, "connected");
}

TEST_F(CallControlTest, GivesUpWhenNobodyAnswersWithinTheNoAnswerTimeout) {
  register_bob(1);
  const auto invite = call();
  reply(invite_to(kDeskPort), 180, "Ringing");
  timers_.advance(59s);
  EXPECT_EQ(statuses(invite), (Codes{100, 180}));
  timers_.advance(2s);
  EXPECT_EQ(statuses(invite), (Codes{100, 180, 480}));
  EXPECT_EQ(sent("CANCEL", kDeskPort).size(), 1U);
  expect_ended(record_of("a"), "no_answer", "system");
  expect_ended(record_of("b1"), "no_answer", "system");
}

// --- reliability ---

TEST_F(CallControlTest, RetransmitsTheAnswerToTheCallerUntilItsAck) {
  register_bob(1);
  const auto invite = call();
  reply(invite_to(kDeskPort), 200, "OK", callee_sdp());
  const auto answers = [&] { return std::ranges::count(statuses(invite), 200); };
  EXPECT_EQ(answers(), 1);
  timers_.advance(500ms); // T1 (RFC 3261 §13.3.1.4)
  EXPECT_EQ(answers(), 2);
  timers_.advance(1s); // 2*T1
  EXPECT_EQ(answers(), 3);
  caller_acks();
  timers_.advance(20s);
  EXPECT_EQ(answers(), 3);
  EXPECT_TRUE(sent("BYE", kCallerPort).empty());
}

TEST_F(CallControlTest, HangsUpWhenTheCallerNeverAcknowledgesTheAnswer) {
  register_bob(1);
  call();
  reply(invite_to(kDeskPort), 200, "OK", callee_sdp());
  timers_.advance(33s); // 64*T1
  EXPECT_EQ(sent("BYE", kCallerPort).size(), 1U);
  EXPECT_EQ(sent("BYE", kDeskPort).size(), 1U);
  expect_ended(record_of("a"), "timeout", "caller");
}

TEST_F(CallControlTest, AcknowledgesEveryRetransmissionOfTheCalleesAnswer) {
  register_bob(1);
  const auto invite = call();
  auto& fork = invite_to(kDeskPort);
  reply(fork, 200, "OK", callee_sdp());
  reply(fork, 200, "OK", callee_sdp()); // our ACK was lost (RFC 3261 §13.2.2.4)
  EXPECT_EQ(acks_to(kDeskPort).size(), 2U);
  EXPECT_EQ(std::ranges::count(statuses(invite), 200), 1);
}

TEST_F(CallControlTest, RetransmitsAReliableRingingUntilThePrack) {
  register_bob(1);
  const auto invite = call(with_headers("Supported: 100rel\r\nRequire: 100rel\r\n"));
  reply(invite_to(kDeskPort), 180, "Ringing");
  EXPECT_EQ(last_response(invite).value(sip::HeaderId::require), "100rel");
  EXPECT_EQ(last_response(invite).value(sip::HeaderId::rseq), "1");
  timers_.advance(500ms); // RFC 3262 §3: from T1
  EXPECT_EQ(statuses(invite), (Codes{100, 180, 180}));
  const auto prack = caller_sends("PRACK", 2, {}, "RAck: 1 1 INVITE\r\n");
  EXPECT_EQ(statuses(prack), Codes{200});
  timers_.advance(10s);
  EXPECT_EQ(statuses(invite), (Codes{100, 180, 180}));
}

// --- offers and early media ---

TEST_F(CallControlTest, RelaysEarlyMediaSoThatTheCallerHearsTheRingBack) {
  register_bob(1);
  const auto invite = call();
  reply(invite_to(kDeskPort), 183, "Session Progress", callee_sdp());
  EXPECT_EQ(statuses(invite), (Codes{100, 183}));
  EXPECT_EQ(media_line(last_response(invite)).address, kStarlingAddress);
}

TEST_F(CallControlTest, RelaysALateOfferFromTheCalleeAndTheAnswerFromTheCallersAck) {
  register_bob(1);
  InviteOptions no_offer;
  no_offer.sdp = "";
  const auto invite = call(no_offer);
  auto& fork = invite_to(kDeskPort);
  EXPECT_TRUE(fork.message.body().empty());
  reply(fork, 200, "OK", callee_sdp());
  EXPECT_EQ(statuses(invite), (Codes{100, 200}));
  EXPECT_EQ(media_line(last_response(invite)).address, kStarlingAddress);
  EXPECT_TRUE(acks_to(kDeskPort).empty()) << "the callee's ACK waits for the caller's answer";
  caller_acks(1, caller_sdp());
  const auto acks = acks_to(kDeskPort);
  ASSERT_EQ(acks.size(), 1U);
  EXPECT_EQ(media_line(*acks[0]).address, kStarlingAddress);
}

// --- call records ---

TEST_F(CallControlTest, EndsTheCallRecordWhenNoInviteCouldBeSent) {
  register_bob(2);
  signalling_.refuse_requests = true;
  const auto invite = call();
  EXPECT_EQ(statuses(invite), (Codes{100, 503}));
  expect_ended(record_of("a"), "rejected", "callee");
  EXPECT_EQ(states().back(), CallState::ended);
  timers_.advance(61s);
  EXPECT_EQ(statuses(invite), (Codes{100, 503}));
}

TEST_F(CallControlTest, RecordsABusyDeviceAsBusyAlthoughAnotherAnswered) {
  // Call::record_legs calls every fork that is over once a device answered
  // "answered_elsewhere", also one that had said 486 before.
  register_bob(2);
  call();
  reply(invite_to(kSoftPort), 486, "Busy Here", {}, "soft-tag");
  reply(invite_to(kDeskPort), 200, "OK", callee_sdp());
  expect_ended(record_of("b2"), "busy", "callee");
}

} // namespace
} // namespace starling::pbx::test
