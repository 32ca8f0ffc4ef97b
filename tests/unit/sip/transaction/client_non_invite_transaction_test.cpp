// Tests of the non-INVITE client transaction (RFC 3261 §17.1.2) on a fake wire.
#include <memory>

#include <gtest/gtest.h>

#include "sip/transaction/client_non_invite_transaction.h"
#include "transaction_test_support.h"

namespace starling::sip {
namespace {

using testing::kPeer;
using testing::parse;
using testing::request_text;
using testing::response_text;
using Ms = std::chrono::milliseconds;
using State = ClientNonInviteTransaction::State;

constexpr std::string_view kOptionsLine = "OPTIONS sip:bob@127.0.0.1 SIP/2.0";

struct ClientNonInviteFixture : ::testing::Test {
  void start(bool reliable) {
    transaction = std::make_unique<ClientNonInviteTransaction>(
        3, wire.context, observer, kPeer, reliable, request_text("OPTIONS", "z9hG4bKcn1"));
    transaction->start();
  }
  void receive(int status, std::string_view reason) const {
    transaction->on_response(parse(response_text(status, reason, "OPTIONS", "z9hG4bKcn1")));
  }
  testing::Wire wire;
  testing::RecordingClientObserver observer;
  std::unique_ptr<ClientNonInviteTransaction> transaction;
};

TEST_F(ClientNonInviteFixture, TimerEDoublesUpToT2UntilTimerFReports408) {
  start(false);
  wire.timers.advance(Ms{40000});
  EXPECT_EQ(wire.transport.times_of(kOptionsLine),
            (std::vector<Ms>{Ms{0}, Ms{500}, Ms{1500}, Ms{3500}, Ms{7500}, Ms{11500}, Ms{15500},
                             Ms{19500}, Ms{23500}, Ms{27500}, Ms{31500}}));
  EXPECT_EQ(observer.statuses, std::vector<std::uint16_t>{408});
  EXPECT_EQ(transaction->state(), State::terminated);
  EXPECT_EQ(wire.timers.pending(), 0U);
}

TEST_F(ClientNonInviteFixture, ProceedingRetransmitsEveryT2) {
  start(false);
  wire.timers.advance(Ms{600});
  receive(100, "Trying");
  wire.timers.advance(Ms{9000});
  EXPECT_EQ(wire.transport.times_of(kOptionsLine),
            (std::vector<Ms>{Ms{0}, Ms{500}, Ms{1500}, Ms{5500}, Ms{9500}}));
  EXPECT_EQ(transaction->state(), State::proceeding);
}

TEST_F(ClientNonInviteFixture, ReliableTransportStartsNoTimerE) {
  start(true);
  wire.timers.advance(Ms{31999});
  EXPECT_EQ(wire.transport.times_of(kOptionsLine), std::vector<Ms>{Ms{0}});
  EXPECT_TRUE(observer.statuses.empty());
  wire.timers.advance(Ms{1});
  EXPECT_EQ(observer.statuses, std::vector<std::uint16_t>{408}); // Timer F
}

TEST_F(ClientNonInviteFixture, FinalResponseCompletesAndTimerKAbsorbsRetransmissions) {
  start(false);
  receive(200, "OK");
  EXPECT_EQ(transaction->state(), State::completed);
  receive(200, "OK");
  EXPECT_EQ(observer.statuses, std::vector<std::uint16_t>{200});
  wire.timers.advance(Ms{4999});
  EXPECT_EQ(transaction->state(), State::completed);
  wire.timers.advance(Ms{1});
  EXPECT_EQ(transaction->state(), State::terminated); // Timer K: T4
  EXPECT_EQ(wire.transport.times_of(kOptionsLine), std::vector<Ms>{Ms{0}});
}

TEST_F(ClientNonInviteFixture, ReliableTransportEndsAtTheFinalResponse) {
  start(true);
  receive(404, "Not Found");
  EXPECT_EQ(transaction->state(), State::terminated);
  EXPECT_EQ(observer.terminated, 1);
}

TEST_F(ClientNonInviteFixture, TransportErrorOnRetransmissionReports503) {
  start(false);
  wire.transport.fail = true;
  wire.timers.advance(Ms{500});
  EXPECT_EQ(observer.statuses, std::vector<std::uint16_t>{503});
  EXPECT_EQ(transaction->state(), State::terminated);
}

} // namespace
} // namespace starling::sip
