// Tests of SIP over TCP on loopback: framing across reads, errors, keep-alives, flows, limits.
#include <chrono>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "transport_fixture.h"

namespace starling::sip::test {
namespace {

namespace ip = boost::asio::ip;
using namespace std::chrono_literals;

class TcpTransport : public TransportTest {
protected:
  void SetUp() override { start(loopback_config()); }
};

TEST_F(TcpTransport, DeliversTwoMessagesArrivingInOneWrite) {
  auto client = connect_tcp();
  client->write(options_request("one") + options_request("two", "body"));
  ASSERT_TRUE(run_until([&] { return received_.size() == 2; }));
  EXPECT_EQ(received_[0].message.value(HeaderId::call_id), "one");
  EXPECT_EQ(received_[1].message.value(HeaderId::call_id), "two");
  EXPECT_EQ(received_[1].message.body(), "body");
  EXPECT_EQ(received_[0].flow.transport, TransportKind::tcp);
  EXPECT_EQ(received_[0].flow.remote_port, client->stream().local_endpoint().port());
  EXPECT_NE(received_[0].flow.connection_id, kNoConnection);
  EXPECT_EQ(received_[0].flow, received_[1].flow);
}

TEST_F(TcpTransport, DeliversAMessageSplitAcrossSeveralWrites) {
  auto client = connect_tcp();
  const std::string request = "\r\n" + options_request("split", "0123456789");
  for (std::size_t at = 0; at < request.size(); at += 7) {
    client->write(request.substr(at, 7));
    run_briefly();
  }
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  EXPECT_EQ(received_[0].message.body(), "0123456789");
  EXPECT_TRUE(client->received.empty()); // the leading CRLF is no ping
}

TEST_F(TcpTransport, AnswersAMessageWithoutContentLengthWith400AndCloses) {
  auto client = connect_tcp();
  std::string request = options_request();
  request.erase(request.find("Content-Length: 0\r\n"), 19);
  client->write(request + options_request("after"));
  ASSERT_TRUE(run_until([&] { return client->closed; }));
  EXPECT_TRUE(client->received.starts_with("SIP/2.0 400 Missing Content-Length\r\n"))
      << client->received;
  EXPECT_TRUE(received_.empty());
  EXPECT_EQ(rejected("missing_content_length"), 1U);
  client->stream().close(); // the server waited for this to close its end
  EXPECT_TRUE(run_until([&] { return transport_->connection_count() == 0; }));
}

TEST_F(TcpTransport, RefusesAnOversizedMessageAndCloses) {
  auto client = connect_tcp();
  // Over the limit for a connection that has not authenticated (16 KiB by default).
  client->write(options_request("big", std::string(20000, 'x')));
  ASSERT_TRUE(run_until([&] { return client->closed; }));
  EXPECT_TRUE(client->received.starts_with("SIP/2.0 513 Message Too Large\r\n"))
      << client->received;
  EXPECT_TRUE(received_.empty());
  EXPECT_EQ(rejected("too_large"), 1U);
}

TEST_F(TcpTransport, AcceptsALargeMessageOnceTheConnectionIsAuthenticated) {
  auto client = connect_tcp();
  client->write(options_request("first"));
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  transport_->mark_authenticated(received_[0].flow.connection_id);
  client->write(options_request("big", std::string(20000, 'x')));
  ASSERT_TRUE(run_until([&] { return received_.size() == 2; }));
  EXPECT_EQ(received_[1].message.body().size(), 20000U);
}

TEST_F(TcpTransport, AnswersACrlfCrlfPingWithACrlfPong) {
  auto client = connect_tcp();
  client->write("\r\n\r\n");
  ASSERT_TRUE(run_until([&] { return client->received == "\r\n"; }));
  client->write(options_request());
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  EXPECT_EQ(client->received, "\r\n");
}

TEST_F(TcpTransport, SendsOnTheConnectionTheRequestCameOn) {
  auto client = connect_tcp();
  client->write(options_request());
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  const Flow& flow = received_[0].flow;
  const auto used = transport_->send(flow, kOkResponse);
  ASSERT_TRUE(used) << used.error().message;
  EXPECT_EQ(used->connection_id, flow.connection_id);
  ASSERT_TRUE(run_until([&] { return client->received == kOkResponse; }));
  EXPECT_EQ(transport_->connection_count(), 1U);
}

TEST_F(TcpTransport, QueuedMessagesArriveWholeAndInOrder) {
  auto client = connect_tcp();
  client->write(options_request());
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  std::string expected;
  for (int i = 0; i < 50; ++i) {
    const std::string message = options_request(std::to_string(i), std::string(3000, 'a'));
    expected += message;
    ASSERT_TRUE(transport_->send(received_[0].flow, message));
  }
  ASSERT_TRUE(run_until([&] { return client->received.size() == expected.size(); }));
  EXPECT_EQ(client->received, expected);
}

TEST_F(TcpTransport, OpensANewConnectionWhenTheFlowsConnectionIsGone) {
  ip::tcp::acceptor peer(io_, ip::tcp::endpoint(ip::make_address("127.0.0.1"), 0));
  TcpClient accepted(io_);
  bool connected = false;
  peer.async_accept(accepted.stream(), [&](const boost::system::error_code& error) {
    connected = !error;
    accepted.start_reading();
  });
  const Flow gone = flow_to(TransportKind::tcp, "127.0.0.1", peer.local_endpoint().port(), 4711);
  boost::system::error_code result = boost::asio::error::would_block;
  const auto used = transport_->send(
      gone, options_request(), [&](const boost::system::error_code& error) { result = error; });
  ASSERT_TRUE(used) << used.error().message;
  EXPECT_NE(used->connection_id, 4711U);
  ASSERT_TRUE(run_until([&] { return accepted.received == options_request(); }));
  EXPECT_TRUE(connected);
  EXPECT_FALSE(result);
}

TEST_F(TcpTransport, ReportsAFailedConnectThroughTheCompletion) {
  ip::tcp::acceptor closed_port(io_, ip::tcp::endpoint(ip::make_address("127.0.0.1"), 0));
  const std::uint16_t refused = closed_port.local_endpoint().port();
  closed_port.close();
  boost::system::error_code result;
  bool done = false;
  const auto used =
      transport_->send(flow_to(TransportKind::tcp, "127.0.0.1", refused), options_request(),
                       [&](const boost::system::error_code& error) {
                         result = error;
                         done = true;
                       });
  ASSERT_TRUE(used);
  ASSERT_TRUE(run_until([&] { return done; }));
  EXPECT_EQ(result, boost::asio::error::connection_refused);
  EXPECT_TRUE(run_until([&] { return transport_->connection_count() == 0; }));
}

TEST_F(TcpTransport, ClosesAConnectionIdleLongerThanTheTimeout) {
  auto client = connect_tcp();
  client->write(options_request());
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  clock_.advance(9min);
  run_briefly();
  EXPECT_FALSE(client->closed);
  clock_.advance(2min);
  ASSERT_TRUE(run_until([&] { return client->closed; }));
  EXPECT_EQ(transport_->connection_count(), 0U);
}

TEST_F(TcpTransport, StopClosesListenersAndConnections) {
  auto client = connect_tcp();
  client->write(options_request());
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  const std::uint16_t listening = port(TransportKind::tcp);
  transport_->stop();
  ASSERT_TRUE(run_until([&] { return client->closed; }));
  EXPECT_EQ(transport_->connection_count(), 0U);
  ip::tcp::socket late(io_);
  boost::system::error_code error;
  late.connect(ip::tcp::endpoint(ip::make_address("127.0.0.1"), listening), error);
  EXPECT_EQ(error, boost::asio::error::connection_refused);
  EXPECT_FALSE(transport_->send(received_[0].flow, kOkResponse));
}

using TcpTransportLimits = TransportTest;

TEST_F(TcpTransportLimits, RefusesConnectionsOverThePerAddressLimit) {
  TransportConfig config = loopback_config();
  config.limits.max_connections_per_address = 1;
  start(config);
  auto first = connect_tcp();
  ASSERT_TRUE(run_until([&] { return transport_->connection_count() == 1; }));
  auto second = connect_tcp();
  ASSERT_TRUE(run_until([&] { return second->closed; }));
  EXPECT_EQ(rejected("address_limit"), 1U);
  EXPECT_FALSE(first->closed);
}

TEST_F(TcpTransportLimits, ClosesConnectionsFromBannedAddressesBeforeReading) {
  start(loopback_config());
  transport_->set_drop_predicate([](const ip::address&) { return true; });
  auto client = connect_tcp();
  ASSERT_TRUE(run_until([&] { return client->closed; }));
  EXPECT_EQ(rejected("dropped_by_policy"), 1U);
}

} // namespace
} // namespace starling::sip::test
