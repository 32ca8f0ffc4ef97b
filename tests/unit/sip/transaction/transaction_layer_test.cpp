// Tests of the transaction layer: matching, retransmission absorption, merged requests,
// CANCEL, RFC 2543 peers, overload and the lifetime of transactions.
#include <functional>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "sip/transaction/transaction_layer.h"
#include "transaction_test_support.h"

namespace starling::sip {
namespace {

using testing::kPeer;
using testing::parse;
using testing::request_text;
using testing::response_text;
using Ms = std::chrono::milliseconds;

struct SeenRequest {
  ServerTransactionHandle transaction;
  Method method = Method::unknown;
  bool merged = false;
  std::optional<ServerTransactionHandle> cancelled;
};

class RecordingUser final : public TransactionUser {
public:
  void on_request(ServerTransactionHandle transaction, const IncomingRequest& request) override {
    requests.push_back(
        SeenRequest{transaction, request.message.method(), request.merged, request.cancelled});
    if (answer) {
      answer(transaction);
    }
  }
  void on_ack(const Message& /*ack*/, const Destination& /*source*/) override { ++acks; }
  void on_stray_response(const Message& /*response*/, const Destination& /*source*/) override {
    ++stray;
  }
  void on_server_failure(ServerTransactionHandle /*transaction*/, TransactionError error) override {
    failures.push_back(error);
  }

  std::vector<SeenRequest> requests;
  std::function<void(ServerTransactionHandle)> answer;
  int acks = 0;
  int stray = 0;
  std::vector<TransactionError> failures;
};

struct LayerFixture : ::testing::Test {
  ReceiveResult receive(const std::string& text, bool reliable = false) {
    return layer.on_message(parse(text), kPeer, reliable);
  }
  testing::Wire wire;
  RecordingUser user;
  core::MetricsRegistry metrics;
  TransactionLayer layer{wire.timers, wire.transport, user, metrics};
};

TEST_F(LayerFixture, NewRequestReachesTheTuAndRetransmissionsGetTheLastResponse) {
  const auto first = receive(request_text("REGISTER", "z9hG4bKr1"));
  ASSERT_EQ(first.kind, Received::new_request);
  ASSERT_EQ(user.requests.size(), 1U);
  const ServerTransactionHandle tx = user.requests[0].transaction;
  EXPECT_EQ(layer.request(tx)->method(), Method::register_);
  ASSERT_TRUE(layer.respond(tx, response_text(200, "OK", "REGISTER", "z9hG4bKr1")));
  wire.timers.advance(Ms{2000});
  const auto again = receive(request_text("REGISTER", "z9hG4bKr1"));
  EXPECT_EQ(again.kind, Received::retransmission);
  EXPECT_EQ(again.transaction, tx.id);
  EXPECT_EQ(user.requests.size(), 1U); // not passed to the TU again
  EXPECT_EQ(wire.transport.times_of("SIP/2.0 200 OK"), (std::vector<Ms>{Ms{0}, Ms{2000}}));
  EXPECT_EQ(wire.transport.sent.back().to, kPeer);
}

TEST_F(LayerFixture, RemovesTransactionsWhenTimerJEnds) {
  receive(request_text("REGISTER", "z9hG4bKr1"));
  const ServerTransactionHandle tx = user.requests[0].transaction;
  ASSERT_TRUE(layer.respond(tx, parse(response_text(200, "OK", "REGISTER", "z9hG4bKr1"))));
  EXPECT_EQ(layer.live_transactions(), 1U);
  wire.timers.advance(Ms{32000});
  EXPECT_EQ(layer.live_transactions(), 0U);
  EXPECT_EQ(layer.request(tx), nullptr);
  EXPECT_EQ(layer.respond(tx, response_text(200, "OK", "REGISTER", "z9hG4bKr1")).error(),
            RespondError::unknown_transaction);
  // The same branch later is a new request again.
  EXPECT_EQ(receive(request_text("REGISTER", "z9hG4bKr1")).kind, Received::new_request);
}

TEST_F(LayerFixture, TuMayAnswerInsideOnRequestOnAReliableTransport) {
  user.answer = [this](ServerTransactionHandle tx) {
    EXPECT_TRUE(layer.respond(tx, response_text(200, "OK", "OPTIONS", "z9hG4bKo1")));
  };
  EXPECT_EQ(receive(request_text("OPTIONS", "z9hG4bKo1"), true).kind, Received::new_request);
  EXPECT_EQ(wire.transport.times_of("SIP/2.0 200 OK"), std::vector<Ms>{Ms{0}});
  EXPECT_EQ(layer.live_transactions(), 0U); // Timer J is 0 on TCP
}

TEST_F(LayerFixture, RejectsResponsesThatAreNotResponses) {
  receive(request_text("OPTIONS", "z9hG4bKo1"));
  const ServerTransactionHandle tx = user.requests[0].transaction;
  EXPECT_EQ(layer.respond(tx, std::string{"garbage"}).error(), RespondError::not_a_response);
  EXPECT_EQ(layer.respond(tx, request_text("OPTIONS", "z9hG4bKo1")).error(),
            RespondError::not_a_response);
}

TEST_F(LayerFixture, SameRequestOnAnotherBranchIsReportedAsMerged) {
  receive(request_text("INVITE", "z9hG4bKpath1"));
  const auto second = receive(request_text("INVITE", "z9hG4bKpath2"));
  EXPECT_EQ(second.kind, Received::merged_request);
  ASSERT_EQ(user.requests.size(), 2U);
  EXPECT_FALSE(user.requests[0].merged);
  EXPECT_TRUE(user.requests[1].merged);
  // The TU's 482 goes out through the merged request's own transaction.
  ASSERT_TRUE(layer.respond(user.requests[1].transaction,
                            response_text(482, "Loop Detected", "INVITE", "z9hG4bKpath2")));
  EXPECT_EQ(wire.transport.times_of("SIP/2.0 482 Loop Detected"), std::vector<Ms>{Ms{0}});
  // In-dialog requests (with a To tag) are never merged.
  EXPECT_EQ(receive(request_text("INFO", "z9hG4bKi1", "ft1", 5, "tt1")).kind,
            Received::new_request);
  EXPECT_EQ(receive(request_text("INFO", "z9hG4bKi2", "ft1", 5, "tt1")).kind,
            Received::new_request);
}

TEST_F(LayerFixture, CancelFindsTheInviteTransactionItCancels) {
  receive(request_text("INVITE", "z9hG4bKinv"));
  const auto cancel = receive(request_text("CANCEL", "z9hG4bKinv"));
  EXPECT_EQ(cancel.kind, Received::new_request);
  ASSERT_EQ(user.requests.size(), 2U);
  EXPECT_EQ(user.requests[1].method, Method::cancel);
  EXPECT_EQ(user.requests[1].cancelled, user.requests[0].transaction);
  EXPECT_NE(user.requests[1].transaction, user.requests[0].transaction);
  // A CANCEL for an unknown branch finds nothing: the TU answers 481.
  receive(request_text("CANCEL", "z9hG4bKother"));
  EXPECT_FALSE(user.requests[2].cancelled.has_value());
}

TEST_F(LayerFixture, AckForANon2xxIsAbsorbedAndAckForA2xxGoesToTheTu) {
  receive(request_text("INVITE", "z9hG4bKa1"));
  ASSERT_TRUE(layer.respond(user.requests[0].transaction,
                            response_text(486, "Busy Here", "INVITE", "z9hG4bKa1")));
  EXPECT_EQ(receive(request_text("ACK", "z9hG4bKa1", "ft1", 1, "tt1")).kind,
            Received::ack_absorbed);
  EXPECT_EQ(receive(request_text("ACK", "z9hG4bKnew", "ft1", 1, "tt1")).kind, Received::ack_to_tu);
  EXPECT_EQ(user.acks, 1);
}

TEST_F(LayerFixture, Rfc2543RequestsMatchByCallIdentifiers) {
  receive(request_text("INVITE", ""));
  ASSERT_EQ(user.requests.size(), 1U);
  EXPECT_EQ(receive(request_text("INVITE", "")).kind, Received::retransmission);
  ASSERT_TRUE(layer.respond(user.requests[0].transaction,
                            response_text(404, "Not Found", "INVITE", "", "tt9")));
  // The ACK carries the To tag of our response, which the INVITE did not have.
  EXPECT_EQ(receive(request_text("ACK", "", "ft1", 1, "tt9")).kind, Received::ack_absorbed);
  EXPECT_EQ(receive(request_text("ACK", "", "ft1", 1, "other")).kind, Received::ack_to_tu);
  EXPECT_EQ(receive(request_text("INVITE", "", "ft1", 2)).kind, Received::new_request);
}

TEST_F(LayerFixture, Rfc2543CancelFindsItsInvite) {
  receive(request_text("INVITE", ""));
  receive(request_text("CANCEL", ""));
  ASSERT_EQ(user.requests.size(), 2U);
  EXPECT_EQ(user.requests[1].cancelled, user.requests[0].transaction);
}

TEST_F(LayerFixture, MalformedRequestsAreReportedWithTheReason) {
  const auto result = receive("OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
                              "Content-Length: 0\r\n\r\n");
  EXPECT_EQ(result.kind, Received::malformed);
  EXPECT_EQ(result.error.status, 400);
  EXPECT_TRUE(user.requests.empty());
}

TEST(LayerOverload, NewRequestsGetA503WithRetryAfterWhenTheTableIsFull) {
  testing::Wire wire;
  RecordingUser user;
  core::MetricsRegistry metrics;
  TransactionLayerSettings settings;
  settings.max_transactions = 2;
  TransactionLayer layer{wire.timers, wire.transport, user, metrics, settings};
  EXPECT_EQ(layer.on_message(parse(request_text("REGISTER", "z9hG4bK1")), kPeer, false).kind,
            Received::new_request);
  EXPECT_EQ(layer.on_message(parse(request_text("REGISTER", "z9hG4bK2", "f2")), kPeer, false).kind,
            Received::new_request);
  const auto third =
      layer.on_message(parse(request_text("REGISTER", "z9hG4bK3", "f3")), kPeer, false);
  ASSERT_EQ(third.kind, Received::overloaded);
  const Message reply = parse(third.reply);
  EXPECT_EQ(reply.status_code(), 503);
  EXPECT_EQ(reply.value(HeaderId::retry_after), "5");
  EXPECT_EQ(user.requests.size(), 2U);
  EXPECT_EQ(layer.live_transactions(), 2U);
  // Retransmissions of live transactions and ACKs still get through.
  EXPECT_EQ(layer.on_message(parse(request_text("REGISTER", "z9hG4bK1")), kPeer, false).kind,
            Received::retransmission);
  EXPECT_EQ(
      layer.on_message(parse(request_text("ACK", "z9hG4bK9", "f9", 1, "t")), kPeer, false).kind,
      Received::ack_to_tu);
  // Room again once a transaction ends.
  ASSERT_TRUE(layer.respond(user.requests[0].transaction,
                            response_text(200, "OK", "REGISTER", "z9hG4bK1")));
  wire.timers.advance(Ms{32000});
  EXPECT_EQ(layer.on_message(parse(request_text("REGISTER", "z9hG4bK3", "f3")), kPeer, false).kind,
            Received::new_request);
  EXPECT_NE(metrics.render().find("starling_sip_transaction_overload_total 1"), std::string::npos);
}

TEST_F(LayerFixture, ResponsesReachTheirClientTransactionByBranchAndMethod) {
  std::vector<std::uint16_t> statuses;
  const auto tx = layer.send_request(
      parse(request_text("OPTIONS", "z9hG4bKc1")), kPeer, false,
      [&statuses](const ClientResponse& r) { statuses.push_back(r.status_code); });
  ASSERT_TRUE(tx);
  EXPECT_EQ(wire.transport.times_of("OPTIONS sip:bob@127.0.0.1 SIP/2.0"), std::vector<Ms>{Ms{0}});
  // Same branch, other method: not this transaction (a CANCEL's response, RFC 3261 §17.1.3).
  EXPECT_EQ(receive(response_text(200, "OK", "CANCEL", "z9hG4bKc1")).kind,
            Received::stray_response);
  const auto matched = receive(response_text(200, "OK", "OPTIONS", "z9hG4bKc1"));
  EXPECT_EQ(matched.kind, Received::response);
  EXPECT_EQ(matched.transaction, tx->id);
  EXPECT_EQ(statuses, std::vector<std::uint16_t>{200});
  EXPECT_EQ(user.stray, 1);
  wire.timers.advance(Ms{5000}); // Timer K
  EXPECT_EQ(layer.live_transactions(), 0U);
}

TEST_F(LayerFixture, ClientTimeoutReaches408AndRemovesTheTransaction) {
  std::vector<std::uint16_t> statuses;
  ASSERT_TRUE(layer.send_request(
      parse(request_text("INVITE", "z9hG4bKc2")), kPeer, false,
      [&statuses](const ClientResponse& r) { statuses.push_back(r.status_code); }));
  wire.timers.advance(Ms{32000});
  EXPECT_EQ(statuses, std::vector<std::uint16_t>{408});
  EXPECT_EQ(layer.live_transactions(), 0U);
}

TEST_F(LayerFixture, ALaterTransportFailureEndsTheClientTransactionWith503) {
  std::vector<std::uint16_t> statuses;
  const auto tx = layer.send_request(
      parse(request_text("INVITE", "z9hG4bKc3")), kPeer, true,
      [&statuses](const ClientResponse& r) { statuses.push_back(r.status_code); });
  ASSERT_TRUE(tx);
  layer.on_transport_failure(tx->id);
  EXPECT_EQ(statuses, std::vector<std::uint16_t>{503});
  EXPECT_EQ(layer.live_transactions(), 0U);
  layer.on_transport_failure(tx->id); // long gone: nothing happens
  EXPECT_EQ(statuses, std::vector<std::uint16_t>{503});
}

TEST_F(LayerFixture, ALaterTransportFailureOfAResponseReachesTheTu) {
  receive(request_text("INVITE", "z9hG4bKh2"), true);
  const ServerTransactionHandle tx = user.requests[0].transaction;
  ASSERT_TRUE(layer.respond(tx, response_text(486, "Busy Here", "INVITE", "z9hG4bKh2")));
  layer.on_transport_failure(tx.id);
  EXPECT_EQ(user.failures, std::vector<TransactionError>{TransactionError::transport_error});
  EXPECT_EQ(layer.live_transactions(), 0U);
}

TEST_F(LayerFixture, RefusesClientRequestsWithoutRfc3261BranchOrTwiceTheSameBranch) {
  const auto none = [](const ClientResponse&) {};
  EXPECT_EQ(layer.send_request(parse(request_text("OPTIONS", "")), kPeer, false, none).error(),
            SendRequestError::invalid_request);
  EXPECT_EQ(
      layer.send_request(parse(request_text("ACK", "z9hG4bKx", "f", 1, "t")), kPeer, false, none)
          .error(),
      SendRequestError::ack_not_allowed);
  ASSERT_TRUE(layer.send_request(parse(request_text("OPTIONS", "z9hG4bKd")), kPeer, false, none));
  EXPECT_EQ(
      layer.send_request(parse(request_text("OPTIONS", "z9hG4bKd")), kPeer, false, none).error(),
      SendRequestError::duplicate_branch);
}

TEST_F(LayerFixture, TimerHFailureReachesTheTu) {
  receive(request_text("INVITE", "z9hG4bKh1"));
  ASSERT_TRUE(layer.respond(user.requests[0].transaction,
                            response_text(486, "Busy Here", "INVITE", "z9hG4bKh1")));
  wire.timers.advance(Ms{32000});
  EXPECT_EQ(user.failures, std::vector<TransactionError>{TransactionError::timeout});
  EXPECT_EQ(layer.live_transactions(), 0U);
}

} // namespace
} // namespace starling::sip
