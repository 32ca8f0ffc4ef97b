// Tests of where the transport listens: clear errors for ports in use, IPv6 loopback and the
// dual-stack wildcard that also takes IPv4 peers.
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "transport_fixture.h"

namespace starling::sip::test {
namespace {

namespace ip = boost::asio::ip;

bool has_ipv6_loopback() {
  boost::asio::io_context io;
  ip::udp::socket probe(io);
  boost::system::error_code error;
  probe.open(ip::udp::v6(), error);
  if (!error) {
    probe.bind(ip::udp::endpoint(ip::make_address("::1"), 0), error);
  }
  return !error;
}

using Listen = TransportTest;

TEST_F(Listen, SaysWhichUdpPortIsInUseByAnotherProgram) {
  const ip::udp::socket other(io_, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
  const std::uint16_t taken = other.local_endpoint().port();
  TransportConfig config = loopback_config();
  config.udp_port = taken;
  TransportLayer transport(io_, config, metrics_, clock_);
  const auto started = transport.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().message,
            fmt::format("sip.udp_port {} on 127.0.0.1 is in use by another program", taken));
}

TEST_F(Listen, SaysWhichTcpPortIsInUseAndLeavesNothingOpen) {
  ip::tcp::acceptor other(io_, ip::tcp::endpoint(ip::make_address("127.0.0.1"), 0));
  const std::uint16_t taken = other.local_endpoint().port();
  TransportConfig config = loopback_config();
  config.udp_port = taken; // free for UDP: bound first, then released on the TCP failure
  config.tcp_port = taken;
  {
    TransportLayer transport(io_, config, metrics_, clock_);
    const auto started = transport.start();
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().message,
              fmt::format("sip.tcp_port {} on 127.0.0.1 is in use by another program", taken));
  }
  const ip::udp::socket reuse(io_, ip::udp::endpoint(ip::make_address("127.0.0.1"), taken));
  EXPECT_TRUE(reuse.is_open());
}

TEST_F(Listen, RejectsAnAddressThatIsNotAnIpAddress) {
  const auto started = TransportLayer(io_, loopback_config("pbx.local"), metrics_, clock_).start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("'pbx.local' is not an IP address"), std::string::npos);
}

TEST_F(Listen, WorksOnIpv6Loopback) {
  if (!has_ipv6_loopback()) {
    GTEST_SKIP() << "no IPv6 on this machine";
  }
  start(loopback_config("::1"));
  auto client = connect_tcp("::1");
  client->write(options_request());
  ip::udp::socket udp(io_, ip::udp::endpoint(ip::make_address("::1"), 0));
  const std::string datagram = options_request("udp");
  udp.send_to(boost::asio::buffer(datagram),
              ip::udp::endpoint(ip::make_address("::1"), port(TransportKind::udp)));
  ASSERT_TRUE(run_until([&] { return received_.size() == 2; }));
  for (const Received& got : received_) {
    EXPECT_EQ(got.flow.remote_address, ip::make_address("::1"));
  }
  const Flow tcp_flow =
      received_[0].flow.transport == TransportKind::tcp ? received_[0].flow : received_[1].flow;
  ASSERT_TRUE(transport_->send(tcp_flow, kOkResponse));
  ASSERT_TRUE(run_until([&] { return !client->received.empty(); }));
}

TEST_F(Listen, DualStackWildcardAcceptsIpv4PeersAndShowsThemAsIpv4) {
  if (!has_ipv6_loopback()) {
    GTEST_SKIP() << "no IPv6 on this machine";
  }
  start(loopback_config("::"));
  auto client = connect_tcp("127.0.0.1");
  client->write(options_request());
  ip::udp::socket udp(io_, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
  const std::string datagram = options_request("udp");
  udp.send_to(boost::asio::buffer(datagram),
              ip::udp::endpoint(ip::make_address("127.0.0.1"), port(TransportKind::udp)));
  ASSERT_TRUE(run_until([&] { return received_.size() == 2; }));
  for (const Received& got : received_) {
    EXPECT_EQ(got.flow.remote_address, ip::make_address("127.0.0.1"));
  }
  // And the reply to the IPv4 peer leaves the IPv6 socket.
  const Flow udp_flow =
      received_[0].flow.transport == TransportKind::udp ? received_[0].flow : received_[1].flow;
  ASSERT_TRUE(transport_->send(udp_flow, kOkResponse));
  std::array<char, 2048> reply{};
  ip::udp::endpoint from;
  std::size_t got = 0;
  udp.async_receive_from(boost::asio::buffer(reply), from,
                         [&](const boost::system::error_code&, std::size_t size) { got = size; });
  ASSERT_TRUE(run_until([&] { return got != 0; }));
  EXPECT_EQ(std::string(reply.data(), got), kOkResponse);
}

} // namespace
} // namespace starling::sip::test
