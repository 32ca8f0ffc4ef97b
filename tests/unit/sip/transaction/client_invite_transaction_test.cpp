// Tests of the INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §8.4) on a fake wire.
#include <memory>

#include <gtest/gtest.h>

#include "sip/transaction/client_invite_transaction.h"
#include "transaction_test_support.h"

namespace starling::sip {
namespace {

using testing::kPeer;
using testing::parse;
using testing::request_text;
using testing::response_text;
using Ms = std::chrono::milliseconds;
using State = ClientInviteTransaction::State;

constexpr std::string_view kInviteLine = "INVITE sip:bob@127.0.0.1 SIP/2.0";
constexpr std::string_view kAckLine = "ACK sip:bob@127.0.0.1 SIP/2.0";

struct ClientInviteFixture : ::testing::Test {
  void start(bool reliable) {
    transaction = std::make_unique<ClientInviteTransaction>(
        7, wire.context, observer, kPeer, reliable, request_text("INVITE", "z9hG4bKci1"));
    transaction->start();
  }
  void receive(int status, std::string_view reason) const {
    transaction->on_response(parse(response_text(status, reason, "INVITE", "z9hG4bKci1")));
  }
  testing::Wire wire;
  testing::RecordingClientObserver observer;
  std::unique_ptr<ClientInviteTransaction> transaction;
};

TEST_F(ClientInviteFixture, RetransmitsOnTimerADoublingFromT1UntilTimerBReports408) {
  start(false);
  wire.timers.advance(Ms{40000});
  EXPECT_EQ(wire.transport.times_of(kInviteLine),
            (std::vector<Ms>{Ms{0}, Ms{500}, Ms{1500}, Ms{3500}, Ms{7500}, Ms{15500}, Ms{31500}}));
  EXPECT_EQ(observer.statuses, std::vector<std::uint16_t>{408});
  EXPECT_EQ(observer.with_message, std::vector<bool>{false});
  EXPECT_EQ(transaction->state(), State::terminated);
  EXPECT_EQ(observer.terminated, 1);
  EXPECT_EQ(wire.timers.pending(), 0U);
}

TEST_F(ClientInviteFixture, TimerBFiresAt64TimesT1) {
  start(false);
  wire.timers.advance(Ms{31999});
  EXPECT_TRUE(observer.statuses.empty());
  wire.timers.advance(Ms{1});
  EXPECT_EQ(observer.statuses, std::vector<std::uint16_t>{408});
}

TEST_F(ClientInviteFixture, ReliableTransportSendsOnceButStillTimesOut) {
  start(true);
  wire.timers.advance(Ms{40000});
  EXPECT_EQ(wire.transport.times_of(kInviteLine), std::vector<Ms>{Ms{0}});
  EXPECT_TRUE(wire.transport.sent.front().reliable);
  EXPECT_EQ(observer.statuses, std::vector<std::uint16_t>{408});
}

TEST_F(ClientInviteFixture, ProvisionalResponseStopsRetransmissions) {
  start(false);
  wire.timers.advance(Ms{600});
  receive(180, "Ringing");
  wire.timers.advance(Ms{60000});
  EXPECT_EQ(wire.transport.times_of(kInviteLine), (std::vector<Ms>{Ms{0}, Ms{500}}));
  EXPECT_EQ(transaction->state(), State::proceeding);
  EXPECT_EQ(observer.statuses, std::vector<std::uint16_t>{180});
}

TEST_F(ClientInviteFixture, AcknowledgesNon2xxFinalWithTheInvitesBranchAndResponsesToTag) {
  start(false);
  receive(486, "Busy Here");
  ASSERT_EQ(wire.transport.sent.size(), 2U);
  EXPECT_EQ(wire.transport.sent[1].bytes,
            "ACK sip:bob@127.0.0.1 SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKci1\r\n"
            "From: <sip:alice@127.0.0.1>;tag=ft1\r\nTo: <sip:bob@127.0.0.1>;tag=tt1\r\n"
            "Call-ID: call-1@127.0.0.1\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n");
  EXPECT_EQ(observer.statuses, std::vector<std::uint16_t>{486});
  EXPECT_EQ(transaction->state(), State::completed);
}

TEST_F(ClientInviteFixture, TimerDAbsorbsRetransmittedFinalResponsesWithAnAckEach) {
  start(false);
  receive(486, "Busy Here");
  wire.timers.advance(Ms{1000});
  receive(486, "Busy Here");
  EXPECT_EQ(wire.transport.times_of(kAckLine), (std::vector<Ms>{Ms{0}, Ms{1000}}));
  EXPECT_EQ(observer.statuses, std::vector<std::uint16_t>{486}); // not passed up twice
  wire.timers.advance(Ms{30999});
  EXPECT_EQ(transaction->state(), State::completed);
  wire.timers.advance(Ms{1});
  EXPECT_EQ(transaction->state(), State::terminated); // Timer D: 32 s
  EXPECT_EQ(wire.transport.times_of(kInviteLine), std::vector<Ms>{Ms{0}});
}

TEST_F(ClientInviteFixture, ReliableTransportEndsRightAfterTheAck) {
  start(true);
  receive(603, "Decline");
  EXPECT_EQ(wire.transport.times_of(kAckLine), std::vector<Ms>{Ms{0}});
  EXPECT_EQ(transaction->state(), State::terminated); // Timer D is 0
  EXPECT_EQ(observer.terminated, 1);
}

TEST_F(ClientInviteFixture, TwoHundredIsAcceptedAndItsRetransmissionsReachTheTuUntilTimerM) {
  start(false);
  receive(200, "OK");
  EXPECT_EQ(transaction->state(), State::accepted);
  receive(200, "OK");
  EXPECT_EQ(observer.statuses, (std::vector<std::uint16_t>{200, 200}));
  EXPECT_TRUE(wire.transport.times_of(kAckLine).empty()); // the TU acknowledges a 2xx
  wire.timers.advance(Ms{32000});
  EXPECT_EQ(transaction->state(), State::terminated);
  EXPECT_EQ(wire.transport.times_of(kInviteLine), std::vector<Ms>{Ms{0}});
}

TEST_F(ClientInviteFixture, TransportErrorReports503) {
  wire.transport.fail = true;
  start(false);
  EXPECT_EQ(transaction->state(), State::terminated);
  EXPECT_EQ(observer.statuses, std::vector<std::uint16_t>{503});
  EXPECT_EQ(wire.timers.pending(), 0U);
}

TEST(BuildNon2xxAck, CopiesRouteHeadersOfTheInvite) {
  const std::string invite =
      "INVITE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKx\r\n"
      "Route: <sip:p1;lr>\r\nRoute: <sip:p2;lr>\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
      "Call-ID: c\r\nCSeq: 9 INVITE\r\nContent-Length: 0\r\n\r\n";
  const Message response = parse(
      "SIP/2.0 404 Not Found\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKx\r\nFrom: <sip:a@h>;tag=1\r\n"
      "To: <sip:b@h>;tag=2\r\nCall-ID: c\r\nCSeq: 9 INVITE\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(build_non_2xx_ack(invite, response),
            "ACK sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKx\r\n"
            "Route: <sip:p1;lr>\r\nRoute: <sip:p2;lr>\r\nFrom: <sip:a@h>;tag=1\r\n"
            "To: <sip:b@h>;tag=2\r\nCall-ID: c\r\nCSeq: 9 ACK\r\nMax-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n");
}

} // namespace
} // namespace starling::sip
