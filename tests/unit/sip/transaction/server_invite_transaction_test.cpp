// Tests of the INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §7.1) on a fake wire.
#include <memory>

#include <gtest/gtest.h>

#include "sip/transaction/server_invite_transaction.h"
#include "transaction_test_support.h"

namespace starling::sip {
namespace {

using testing::kPeer;
using testing::parse;
using testing::request_text;
using testing::response_text;
using Ms = std::chrono::milliseconds;
using State = ServerInviteTransaction::State;
using Ack = ServerInviteTransaction::AckDisposition;

constexpr std::string_view kTryingLine = "SIP/2.0 100 Trying";
constexpr std::string_view kBusyLine = "SIP/2.0 486 Busy Here";
constexpr std::string_view kOkLine = "SIP/2.0 200 OK";

struct ServerInviteFixture : ::testing::Test {
  void start(bool reliable) {
    transaction = std::make_unique<ServerInviteTransaction>(
        9, wire.context, observer, parse(request_text("INVITE", "z9hG4bKsi1")), kPeer, reliable);
    transaction->start();
  }
  std::expected<void, RespondError> respond(int status, std::string_view reason) const {
    return transaction->respond(static_cast<std::uint16_t>(status),
                                response_text(status, reason, "INVITE", "z9hG4bKsi1"));
  }
  testing::Wire wire;
  testing::RecordingServerObserver observer;
  std::unique_ptr<ServerInviteTransaction> transaction;
};

TEST_F(ServerInviteFixture, Sends100TryingWhenTheTuIsSilentFor200Ms) {
  start(false);
  wire.timers.advance(Ms{199});
  EXPECT_TRUE(wire.transport.sent.empty());
  wire.timers.advance(Ms{1});
  ASSERT_EQ(wire.transport.times_of(kTryingLine), std::vector<Ms>{Ms{200}});
  const std::string& trying = wire.transport.sent.front().bytes;
  EXPECT_NE(trying.find("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKsi1\r\n"),
            std::string::npos);
  EXPECT_NE(trying.find("To: <sip:bob@127.0.0.1>\r\n"), std::string::npos); // no To tag
  EXPECT_NE(trying.find("CSeq: 1 INVITE\r\n"), std::string::npos);
  transaction->on_request_retransmission();
  EXPECT_EQ(wire.transport.times_of(kTryingLine), (std::vector<Ms>{Ms{200}, Ms{200}}));
}

TEST_F(ServerInviteFixture, SendsNo100TryingWhenTheTuAnswersWithin200Ms) {
  start(false);
  wire.timers.advance(Ms{100});
  ASSERT_TRUE(respond(180, "Ringing"));
  wire.timers.advance(Ms{1000});
  EXPECT_TRUE(wire.transport.times_of(kTryingLine).empty());
  transaction->on_request_retransmission();
  EXPECT_EQ(wire.transport.times_of("SIP/2.0 180 Ringing"), (std::vector<Ms>{Ms{100}, Ms{1100}}));
}

TEST_F(ServerInviteFixture, TimerGRetransmitsTheFinalResponseUpToT2UntilTimerH) {
  start(false);
  ASSERT_TRUE(respond(486, "Busy Here"));
  wire.timers.advance(Ms{40000});
  EXPECT_EQ(wire.transport.times_of(kBusyLine),
            (std::vector<Ms>{Ms{0}, Ms{500}, Ms{1500}, Ms{3500}, Ms{7500}, Ms{11500}, Ms{15500},
                             Ms{19500}, Ms{23500}, Ms{27500}, Ms{31500}}));
  EXPECT_EQ(transaction->state(), State::terminated);
  EXPECT_EQ(observer.failures, std::vector<TransactionError>{TransactionError::timeout});
}

TEST_F(ServerInviteFixture, AckConfirmsAndTimerIAbsorbsAckRetransmissions) {
  start(false);
  ASSERT_TRUE(respond(486, "Busy Here"));
  wire.timers.advance(Ms{600});
  EXPECT_EQ(transaction->on_ack(), Ack::absorbed);
  EXPECT_EQ(transaction->state(), State::confirmed);
  EXPECT_EQ(transaction->on_ack(), Ack::absorbed);
  transaction->on_request_retransmission(); // Confirmed: nothing more is sent
  wire.timers.advance(Ms{4999});
  EXPECT_EQ(transaction->state(), State::confirmed);
  wire.timers.advance(Ms{1});
  EXPECT_EQ(transaction->state(), State::terminated); // Timer I: T4
  EXPECT_EQ(wire.transport.times_of(kBusyLine), (std::vector<Ms>{Ms{0}, Ms{500}}));
  EXPECT_TRUE(observer.failures.empty());
}

TEST_F(ServerInviteFixture, CompletedAnswersInviteRetransmissionsWithTheFinalResponse) {
  start(false);
  ASSERT_TRUE(respond(486, "Busy Here"));
  wire.timers.advance(Ms{100});
  transaction->on_request_retransmission();
  EXPECT_EQ(wire.transport.times_of(kBusyLine), (std::vector<Ms>{Ms{0}, Ms{100}}));
}

TEST_F(ServerInviteFixture, ReliableTransportSendsTheFinalOnceAndEndsAtTheAck) {
  start(true);
  ASSERT_TRUE(respond(486, "Busy Here"));
  wire.timers.advance(Ms{10000});
  EXPECT_EQ(wire.transport.times_of(kBusyLine), std::vector<Ms>{Ms{0}});
  EXPECT_EQ(transaction->on_ack(), Ack::absorbed);
  EXPECT_EQ(transaction->state(), State::terminated); // Timer I is 0
}

TEST_F(ServerInviteFixture, TwoHundredEntersAcceptedWhichAbsorbsInvitesAndPassesAcksUp) {
  start(false);
  ASSERT_TRUE(respond(200, "OK"));
  EXPECT_EQ(transaction->state(), State::accepted);
  transaction->on_request_retransmission();
  EXPECT_EQ(transaction->on_ack(), Ack::pass_to_tu);
  wire.timers.advance(Ms{500});
  ASSERT_TRUE(respond(200, "OK")); // the TU's own 2xx retransmission
  EXPECT_EQ(wire.transport.times_of(kOkLine), (std::vector<Ms>{Ms{0}, Ms{500}}));
  EXPECT_EQ(respond(486, "Busy Here").error(), RespondError::final_response_sent);
  wire.timers.advance(Ms{31499});
  EXPECT_EQ(transaction->state(), State::accepted);
  wire.timers.advance(Ms{1});
  EXPECT_EQ(transaction->state(), State::terminated); // Timer L: 64*T1
  EXPECT_TRUE(observer.failures.empty());
}

TEST_F(ServerInviteFixture, TransportErrorInAcceptedInformsTheTuAndKeepsAbsorbing) {
  start(false);
  wire.transport.fail = true;
  ASSERT_TRUE(respond(200, "OK"));
  EXPECT_EQ(transaction->state(), State::accepted);
  EXPECT_EQ(observer.failures, std::vector<TransactionError>{TransactionError::transport_error});
  wire.timers.advance(Ms{32000});
  EXPECT_EQ(transaction->state(), State::terminated);
}

} // namespace
} // namespace starling::sip
