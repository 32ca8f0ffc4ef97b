// Tests of the non-INVITE server transaction (RFC 3261 §17.2.2) on a fake wire.
#include <memory>

#include <gtest/gtest.h>

#include "sip/transaction/server_non_invite_transaction.h"
#include "transaction_test_support.h"

namespace starling::sip {
namespace {

using testing::kPeer;
using testing::parse;
using testing::request_text;
using testing::response_text;
using Ms = std::chrono::milliseconds;
using State = ServerNonInviteTransaction::State;

constexpr std::string_view kOkLine = "SIP/2.0 200 OK";
constexpr std::string_view kTryingLine = "SIP/2.0 100 Trying";

struct ServerNonInviteFixture : ::testing::Test {
  void start(bool reliable) {
    transaction = std::make_unique<ServerNonInviteTransaction>(
        5, wire.context, observer, parse(request_text("REGISTER", "z9hG4bKsn1")), kPeer, reliable);
    transaction->start();
  }
  std::expected<void, RespondError> respond(int status, std::string_view reason) const {
    return transaction->respond(static_cast<std::uint16_t>(status),
                                response_text(status, reason, "REGISTER", "z9hG4bKsn1"));
  }
  testing::Wire wire;
  testing::RecordingServerObserver observer;
  std::unique_ptr<ServerNonInviteTransaction> transaction;
};

TEST_F(ServerNonInviteFixture, AnswersRequestRetransmissionsWithTheLastResponse) {
  start(false);
  transaction->on_request_retransmission(); // Trying: nothing to resend
  EXPECT_TRUE(wire.transport.sent.empty());
  ASSERT_TRUE(respond(100, "Trying"));
  transaction->on_request_retransmission();
  EXPECT_EQ(wire.transport.times_of(kTryingLine), (std::vector<Ms>{Ms{0}, Ms{0}}));
  ASSERT_TRUE(respond(200, "OK"));
  wire.timers.advance(Ms{1000});
  transaction->on_request_retransmission();
  EXPECT_EQ(wire.transport.times_of(kOkLine), (std::vector<Ms>{Ms{0}, Ms{1000}}));
  EXPECT_EQ(wire.transport.sent.back().to, kPeer);
  EXPECT_EQ(transaction->state(), State::completed);
}

TEST_F(ServerNonInviteFixture, TimerJEndsTheTransactionAfter64T1) {
  start(false);
  ASSERT_TRUE(respond(200, "OK"));
  wire.timers.advance(Ms{31999});
  EXPECT_EQ(transaction->state(), State::completed);
  wire.timers.advance(Ms{1});
  EXPECT_EQ(transaction->state(), State::terminated);
  EXPECT_EQ(observer.terminated, 1);
  EXPECT_TRUE(observer.failures.empty());
  EXPECT_EQ(wire.transport.times_of(kOkLine), std::vector<Ms>{Ms{0}}); // never on its own
}

TEST_F(ServerNonInviteFixture, ReliableTransportEndsAtTheFinalResponse) {
  start(true);
  ASSERT_TRUE(respond(200, "OK"));
  EXPECT_EQ(transaction->state(), State::terminated);
  EXPECT_EQ(wire.timers.pending(), 0U);
}

TEST_F(ServerNonInviteFixture, RefusesASecondFinalResponse) {
  start(false);
  ASSERT_TRUE(respond(200, "OK"));
  EXPECT_EQ(respond(500, "Server Internal Error").error(), RespondError::final_response_sent);
  EXPECT_EQ(respond(700, "Nonsense").error(), RespondError::invalid_status);
}

TEST_F(ServerNonInviteFixture, GivesUpWhenTheTuNeverAnswers) {
  start(false);
  wire.timers.advance(Ms{32000});
  EXPECT_EQ(transaction->state(), State::terminated);
  EXPECT_EQ(observer.failures, std::vector<TransactionError>{TransactionError::timeout});
}

TEST_F(ServerNonInviteFixture, TransportErrorInformsTheTu) {
  start(false);
  wire.transport.fail = true;
  ASSERT_TRUE(respond(200, "OK"));
  EXPECT_EQ(transaction->state(), State::terminated);
  EXPECT_EQ(observer.failures, std::vector<TransactionError>{TransactionError::transport_error});
}

} // namespace
} // namespace starling::sip
