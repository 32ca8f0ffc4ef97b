// Tests of SIP over UDP on loopback: receive, reply from the same port, bad input, keep-alives.
#include <array>
#include <chrono>
#include <stdexcept>
#include <string>

#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include "transport_fixture.h"

namespace starling::sip::test {
namespace {

namespace ip = boost::asio::ip;

class UdpTransport : public TransportTest {
protected:
  void SetUp() override {
    start(loopback_config());
    client_.open(ip::udp::v4());
    client_.bind(ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
    start_receiving();
  }

  void send(const std::string& datagram) {
    client_.send_to(boost::asio::buffer(datagram),
                    ip::udp::endpoint(ip::make_address("127.0.0.1"), port(TransportKind::udp)));
  }

  void start_receiving() {
    client_.async_receive_from(boost::asio::buffer(buffer_), from_,
                               [this](const boost::system::error_code& error, std::size_t size) {
                                 if (!error) {
                                   replies_.emplace_back(buffer_.data(), size);
                                   start_receiving();
                                 }
                               });
  }

  ip::udp::socket client_{io_};
  ip::udp::endpoint from_;
  std::array<char, 65536> buffer_{};
  std::vector<std::string> replies_;
};

TEST_F(UdpTransport, DeliversARequestWithTheFlowItCameOn) {
  send(options_request());
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  const Received& got = received_.front();
  EXPECT_EQ(got.message.method(), Method::options);
  EXPECT_EQ(got.flow.transport, TransportKind::udp);
  EXPECT_EQ(got.flow.remote_address, ip::make_address("127.0.0.1"));
  EXPECT_EQ(got.flow.remote_port, client_.local_endpoint().port());
  EXPECT_EQ(got.flow.local_port, port(TransportKind::udp));
  EXPECT_EQ(got.flow.connection_id, kNoConnection);
}

TEST_F(UdpTransport, SendsAResponseBackFromTheListeningPort) {
  send(options_request());
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  bool sent = false;
  const auto flow =
      transport_->send(received_.front().flow, kOkResponse,
                       [&](const boost::system::error_code& error) { sent = !error; });
  ASSERT_TRUE(flow) << flow.error().message;
  ASSERT_TRUE(run_until([&] { return replies_.size() == 1 && sent; }));
  EXPECT_EQ(replies_.front(), kOkResponse);
  EXPECT_EQ(from_.port(), port(TransportKind::udp)); // what NATs and rport rely on
}

TEST_F(UdpTransport, ABurstOfSeveralReceiveBatchesArrivesWholeAndInOrder) {
  constexpr std::size_t kBurst = 100; // over three recvmmsg batches, within a default queue
  for (std::size_t i = 0; i < kBurst; ++i) {
    send(options_request("burst-" + std::to_string(i)));
  }
  ASSERT_TRUE(run_until([&] { return received_.size() == kBurst; }));
  for (std::size_t i = 0; i < kBurst; ++i) {
    EXPECT_EQ(received_[i].message.value(HeaderId::call_id), "burst-" + std::to_string(i));
  }
}

// Bursts make the listener read on a timer (ReceivePacing); quiet makes it wait for the next
// datagram again. Neither switch may lose or strand one.
TEST_F(UdpTransport, KeepsReceivingAsBurstsComeAndGo) {
  constexpr std::size_t kBurst = 20;
  std::size_t expected = 0;
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < kBurst; ++i) {
      send(options_request("burst-" + std::to_string(round) + "-" + std::to_string(i)));
    }
    expected += kBurst;
    ASSERT_TRUE(run_until([&] { return received_.size() == expected; }));
    io_.restart();
    io_.run_for(std::chrono::milliseconds(30)); // quiet for several of the longest windows
    send(options_request("alone-" + std::to_string(round)));
    ++expected;
    ASSERT_TRUE(run_until([&] { return received_.size() == expected; }));
    EXPECT_EQ(received_.back().message.value(HeaderId::call_id), "alone-" + std::to_string(round));
  }
}

TEST_F(UdpTransport, SendsQueuedInOneTurnLeaveInOrderAndEachCompletesAfterwards) {
  send(options_request());
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  constexpr std::size_t kSends = 50;
  std::size_t completed = 0;
  for (std::size_t i = 0; i < kSends; ++i) {
    ASSERT_TRUE(transport_->send(
        received_.front().flow, "reply-" + std::to_string(i),
        [&](const boost::system::error_code& error) { completed += error ? 0U : 1U; }));
  }
  EXPECT_EQ(completed, 0); // never inside send()
  ASSERT_TRUE(run_until([&] { return replies_.size() == kSends && completed == kSends; }));
  for (std::size_t i = 0; i < kSends; ++i) {
    EXPECT_EQ(replies_[i], "reply-" + std::to_string(i));
  }
}

TEST_F(UdpTransport, AnswersAMalformedRequestWith400AndTheParsersReason) {
  std::string broken = options_request();
  broken.replace(broken.find("Content-Length: 0"), 17, "Content-Length: x");
  send(broken);
  ASSERT_TRUE(run_until([&] { return replies_.size() == 1; }));
  EXPECT_TRUE(replies_.front().starts_with("SIP/2.0 400 Malformed Content-Length\r\n"))
      << replies_.front();
  EXPECT_NE(replies_.front().find("To: <sip:100@127.0.0.1>;tag="), std::string::npos);
  EXPECT_TRUE(received_.empty());
  EXPECT_EQ(rejected("malformed_request"), 1U);
}

TEST_F(UdpTransport, DropsAMalformedResponseSilently) {
  send("SIP/2.0 abc OK\r\nVia: SIP/2.0/UDP x;branch=z9hG4bK1\r\n\r\n");
  ASSERT_TRUE(run_until([&] { return rejected("malformed_response") == 1; }));
  EXPECT_TRUE(replies_.empty());
  EXPECT_TRUE(received_.empty());
}

TEST_F(UdpTransport, IgnoresCrlfKeepalivesAndAnswersStunBindingRequests) {
  send("\r\n\r\n");
  std::string stun{'\x00', '\x01', '\x00', '\x00', '\x21', '\x12', '\xA4', '\x42'};
  stun.append(12, '\x07');
  send(stun);
  ASSERT_TRUE(run_until([&] { return replies_.size() == 1; }));
  const auto octet = [&](std::size_t i) { return static_cast<unsigned>(replies_[0].at(i) & 0xFF); };
  EXPECT_EQ(((octet(26) << 8U) | octet(27)) ^ 0x2112U, client_.local_endpoint().port());
  EXPECT_TRUE(received_.empty());
  EXPECT_TRUE(rejected("malformed_request") == 0);
}

TEST_F(UdpTransport, DropsDatagramsFromAddressesThePolicyBans) {
  int asked = 0;
  transport_->set_drop_predicate([&](const ip::address& remote) {
    ++asked;
    return remote == ip::make_address("127.0.0.1");
  });
  send(options_request());
  ASSERT_TRUE(run_until([&] { return rejected("dropped_by_policy") == 1; }));
  EXPECT_EQ(asked, 1);
  EXPECT_TRUE(received_.empty());
  EXPECT_TRUE(replies_.empty());
}

TEST_F(UdpTransport, KeepsReceivingAfterAHandlerThrows) {
  transport_->set_message_handler([this](Message message, const Flow& flow) {
    received_.push_back(Received{std::move(message), flow});
    if (received_.size() == 1) {
      throw std::runtime_error("bug in a handler");
    }
  });
  send(options_request("one"));
  send(options_request("two"));
  ASSERT_TRUE(run_until([&] { return received_.size() == 2; }));
}

using UdpTransportLimits = TransportTest;

TEST_F(UdpTransportLimits, DropsADatagramOverTheSizeLimit) {
  TransportConfig config = loopback_config();
  config.limits.max_message_size = 1000;
  start(config);
  ip::udp::socket client(io_, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
  const std::string big = options_request("big", std::string(1500, 'x'));
  client.send_to(boost::asio::buffer(big),
                 ip::udp::endpoint(ip::make_address("127.0.0.1"), port(TransportKind::udp)));
  EXPECT_TRUE(run_until([&] { return rejected("too_large") == 1; }));
  EXPECT_TRUE(received_.empty());
}

} // namespace
} // namespace starling::sip::test
