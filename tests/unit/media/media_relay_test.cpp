// Tests of the RTP/RTCP relay with real UDP sockets on loopback standing in for two phones.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include "core/metrics.h"
#include "media/media_relay.h"

namespace starling::media {
namespace {

namespace ip = boost::asio::ip;
using namespace std::chrono_literals;

constexpr auto kPatience = 3s; // generous for loaded CI machines; passing tests never wait it

bool wait_until(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

struct Datagram {
  std::string payload;
  std::uint16_t from_port = 0;
};

// A phone's RTP or RTCP socket on a loopback address.
class Phone {
public:
  explicit Phone(const std::string& address = "127.0.0.1")
      : socket_(io_, ip::udp::endpoint(ip::make_address(address), 0)) {}

  [[nodiscard]] ip::udp::endpoint endpoint() const { return socket_.local_endpoint(); }

  // To the relay's `port` on this phone's loopback address.
  void send(std::uint16_t port, std::string_view payload) {
    socket_.send_to(boost::asio::buffer(payload.data(), payload.size()),
                    ip::udp::endpoint(endpoint().address(), port));
  }

  std::optional<Datagram> receive(std::chrono::milliseconds timeout = kPatience) {
    pollfd ready{.fd = socket_.native_handle(), .events = POLLIN, .revents = 0};
    if (::poll(&ready, 1, static_cast<int>(timeout.count())) != 1) {
      return std::nullopt;
    }
    std::array<char, 4096> buffer{};
    ip::udp::endpoint from;
    const std::size_t size = socket_.receive_from(boost::asio::buffer(buffer), from);
    return Datagram{std::string(buffer.data(), size), from.port()};
  }

  // Whether a datagram is waiting right now.
  bool has_mail() { return receive(0ms).has_value(); }

private:
  boost::asio::io_context io_;
  ip::udp::socket socket_;
};

PeerAddress sdp_of(const Phone& rtp, const Phone& rtcp, bool latch_only = false) {
  return PeerAddress{.rtp = rtp.endpoint(), .rtcp = rtcp.endpoint(), .latch_only = latch_only};
}

std::uint16_t rtcp(std::uint16_t rtp_port) {
  return static_cast<std::uint16_t>(rtp_port + 1);
}

// An RTP packet as a phone sends it: telephone-event (RFC 4733, payload type 101) with a
// marker bit, so the test sees the relay leaves payload types and DTMF alone.
std::string rtp_dtmf_packet(std::uint16_t sequence) {
  std::string packet = {'\x80', '\xe5', static_cast<char>(sequence >> 8),
                        static_cast<char>(sequence & 0xff)};
  packet += std::string("\x00\x00\x03\x20\x12\x34\x56\x78\x05\x0a\x00\xa0", 12);
  return packet;
}

class MediaRelayTest : public ::testing::Test {
protected:
  void TearDown() override {
    if (relay_) {
      relay_->stop();
    }
  }

  // A relay on `address` with a small port window at random below the ephemeral range, so
  // tests running in parallel rarely meet (and skip each other's ports when they do).
  MediaRelay& start_relay(const std::string& address = "127.0.0.1", unsigned threads = 2,
                          unsigned pairs = 64) {
    std::mt19937 random(static_cast<unsigned>(::getpid()) ^
                        static_cast<unsigned>(std::random_device{}()));
    std::uniform_int_distribution<unsigned> pick(20000 / 2, (32000 - 2 * pairs) / 2);
    const auto first = static_cast<std::uint16_t>(pick(random) * 2);
    return start_relay(address, threads, first, static_cast<std::uint16_t>(first + 2 * pairs - 1));
  }

  MediaRelay& start_relay(const std::string& address, unsigned threads, std::uint16_t port_min,
                          std::uint16_t port_max) {
    relay_ = std::make_unique<MediaRelay>(RelaySettings{.bind_address = ip::make_address(address),
                                                        .port_min = port_min,
                                                        .port_max = port_max,
                                                        .threads = threads},
                                          metrics_);
    const auto started = relay_->start();
    EXPECT_TRUE(started.has_value()) << started.error();
    return *relay_;
  }

  StreamId open() {
    const auto stream = relay_->open_stream();
    EXPECT_TRUE(stream.has_value());
    return stream.value_or(0);
  }

  std::uint64_t metric(const std::string& name, core::MetricLabels labels = {}) {
    return metrics_.counter(name, "", std::move(labels)).value();
  }
  std::uint64_t dropped_no_destination() {
    return metric("starling_media_packets_dropped_total", {{"reason", "no_destination"}});
  }

  core::MetricsRegistry metrics_;
  std::unique_ptr<MediaRelay> relay_;
};

TEST_F(MediaRelayTest, RelaysRtpFromCallerToCalleeAndBack) {
  start_relay();
  Phone caller, caller_rtcp, callee, callee_rtcp;
  const StreamId stream = open();
  relay_->set_peer(stream, Side::a, sdp_of(caller, caller_rtcp));
  relay_->set_peer(stream, Side::b, sdp_of(callee, callee_rtcp));
  const StreamPorts ports = relay_->ports(stream);
  EXPECT_NE(ports.a_rtp, ports.b_rtp);
  EXPECT_EQ(ports.a_rtp % 2, 0);
  EXPECT_EQ(ports.b_rtp % 2, 0);

  caller.send(ports.a_rtp, rtp_dtmf_packet(1));
  const auto at_callee = callee.receive();
  ASSERT_TRUE(at_callee.has_value());
  EXPECT_EQ(at_callee->payload, rtp_dtmf_packet(1));
  EXPECT_EQ(at_callee->from_port, ports.b_rtp); // from the port the callee's SDP was given

  callee.send(ports.b_rtp, rtp_dtmf_packet(2));
  const auto at_caller = caller.receive();
  ASSERT_TRUE(at_caller.has_value());
  EXPECT_EQ(at_caller->payload, rtp_dtmf_packet(2));
  EXPECT_EQ(at_caller->from_port, ports.a_rtp);
}

TEST_F(MediaRelayTest, RelaysRtcpOnThePortsAfterRtp) {
  start_relay();
  Phone caller, caller_rtcp, callee, callee_rtcp;
  const StreamId stream = open();
  relay_->set_peer(stream, Side::a, sdp_of(caller, caller_rtcp));
  relay_->set_peer(stream, Side::b, sdp_of(callee, callee_rtcp));
  const StreamPorts ports = relay_->ports(stream);
  const std::string sender_report("\x80\xc8\x00\x06sender-report", 17);

  caller_rtcp.send(rtcp(ports.a_rtp), sender_report);
  const auto at_callee = callee_rtcp.receive();
  ASSERT_TRUE(at_callee.has_value());
  EXPECT_EQ(at_callee->payload, sender_report);
  EXPECT_EQ(at_callee->from_port, rtcp(ports.b_rtp));

  callee_rtcp.send(rtcp(ports.b_rtp), "receiver report");
  const auto at_caller = caller_rtcp.receive();
  ASSERT_TRUE(at_caller.has_value());
  EXPECT_EQ(at_caller->payload, "receiver report");
  EXPECT_EQ(at_caller->from_port, rtcp(ports.a_rtp));
  EXPECT_FALSE(caller.has_mail()); // RTCP stays off the RTP ports
  EXPECT_FALSE(callee.has_mail());
}

TEST_F(MediaRelayTest, SendsToWhereThePhoneSendsFromRatherThanItsSdpAddress) {
  start_relay();
  // The caller is behind NAT: its SDP names one port, its packets come from another.
  Phone caller_sdp, caller_rtcp, caller_nat, callee, callee_rtcp;
  const StreamId stream = open();
  relay_->set_peer(stream, Side::a, sdp_of(caller_sdp, caller_rtcp));
  relay_->set_peer(stream, Side::b, sdp_of(callee, callee_rtcp));
  const StreamPorts ports = relay_->ports(stream);

  // Until the caller sends, the SDP address is all there is.
  callee.send(ports.b_rtp, "early");
  ASSERT_TRUE(caller_sdp.receive().has_value());

  caller_nat.send(ports.a_rtp, "hello");
  ASSERT_TRUE(callee.receive().has_value());
  callee.send(ports.b_rtp, "reply");
  const auto reply = caller_nat.receive();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->payload, "reply");
  EXPECT_FALSE(caller_sdp.has_mail());
}

TEST_F(MediaRelayTest, SendsALatchOnlyPhoneNothingUntilItsFirstPacket) {
  start_relay();
  Phone caller, caller_rtcp, callee_sdp, callee_rtcp, callee_nat;
  const StreamId stream = open();
  relay_->set_peer(stream, Side::a, sdp_of(caller, caller_rtcp));
  relay_->set_peer(stream, Side::b, sdp_of(callee_sdp, callee_rtcp, /*latch_only=*/true));
  const StreamPorts ports = relay_->ports(stream);

  caller.send(ports.a_rtp, "too early");
  ASSERT_TRUE(wait_until([&] { return dropped_no_destination() == 1; }));
  EXPECT_FALSE(callee_sdp.has_mail());
  EXPECT_FALSE(callee_nat.has_mail());

  callee_nat.send(ports.b_rtp, "here I am");
  ASSERT_TRUE(caller.receive().has_value());
  caller.send(ports.a_rtp, "now you hear me");
  const auto at_callee = callee_nat.receive();
  ASSERT_TRUE(at_callee.has_value());
  EXPECT_EQ(at_callee->payload, "now you hear me");
  EXPECT_FALSE(callee_sdp.has_mail());
}

TEST_F(MediaRelayTest, DropsPacketsForASideWithoutAnyAddressYet) {
  start_relay();
  Phone caller, caller_rtcp;
  const StreamId stream = open();
  relay_->set_peer(stream, Side::a, sdp_of(caller, caller_rtcp));
  // The callee has not answered: no SDP, no packets from it.
  caller.send(relay_->ports(stream).a_rtp, "ringing");
  caller_rtcp.send(rtcp(relay_->ports(stream).a_rtp), "rtcp");
  ASSERT_TRUE(wait_until([&] { return dropped_no_destination() == 2; }));
  EXPECT_EQ(metric("starling_media_packets_relayed_total"), 0U);
}

TEST_F(MediaRelayTest, LatchesAgainAfterAReInviteSetsThePeer) {
  start_relay();
  Phone caller_first, caller_rtcp, caller_second, caller_third, callee, callee_rtcp;
  const StreamId stream = open();
  relay_->set_peer(stream, Side::a, sdp_of(caller_first, caller_rtcp));
  relay_->set_peer(stream, Side::b, sdp_of(callee, callee_rtcp));
  const StreamPorts ports = relay_->ports(stream);

  caller_second.send(ports.a_rtp, "latched");
  ASSERT_TRUE(callee.receive().has_value());
  callee.send(ports.b_rtp, "to second");
  ASSERT_TRUE(caller_second.receive().has_value());

  // A re-INVITE moves the caller's media: its new SDP applies until it sends again.
  relay_->set_peer(stream, Side::a, sdp_of(caller_first, caller_rtcp));
  callee.send(ports.b_rtp, "to the new sdp");
  const auto at_sdp = caller_first.receive();
  ASSERT_TRUE(at_sdp.has_value());
  EXPECT_EQ(at_sdp->payload, "to the new sdp");

  caller_third.send(ports.a_rtp, "latched again");
  ASSERT_TRUE(callee.receive().has_value());
  callee.send(ports.b_rtp, "to third");
  const auto at_third = caller_third.receive();
  ASSERT_TRUE(at_third.has_value());
  EXPECT_EQ(at_third->payload, "to third");
  EXPECT_FALSE(caller_second.has_mail());
  EXPECT_FALSE(caller_first.has_mail());
}

TEST_F(MediaRelayTest, CountsPacketsAndBytesFromEachSide) {
  start_relay();
  Phone caller, caller_rtcp, callee, callee_rtcp;
  const StreamId stream = open();
  relay_->set_peer(stream, Side::a, sdp_of(caller, caller_rtcp));
  relay_->set_peer(stream, Side::b, sdp_of(callee, callee_rtcp));
  const StreamPorts ports = relay_->ports(stream);
  ASSERT_TRUE(relay_->counters(stream).has_value());
  EXPECT_EQ(relay_->counters(stream)->packets_from_a, 0U);

  for (int i = 0; i < 3; ++i) {
    caller.send(ports.a_rtp, std::string(172, 'a')); // 20 ms of G.711 with its RTP header
  }
  callee_rtcp.send(rtcp(ports.b_rtp), std::string(52, 'b'));
  ASSERT_TRUE(wait_until([&] {
    const auto counters = relay_->counters(stream);
    return counters->packets_from_a == 3 && counters->packets_from_b == 1;
  }));
  const StreamCounters counters = *relay_->counters(stream);
  EXPECT_EQ(counters.bytes_from_a, 3U * 172U);
  EXPECT_EQ(counters.bytes_from_b, 52U);
  EXPECT_TRUE(wait_until([&] { return metric("starling_media_packets_relayed_total") == 4; }));
  EXPECT_EQ(metrics_.gauge("starling_media_streams", "").value(), 1);
}

TEST_F(MediaRelayTest, DropsDatagramsTooLargeForRtp) {
  start_relay();
  Phone caller, caller_rtcp, callee, callee_rtcp;
  const StreamId stream = open();
  relay_->set_peer(stream, Side::a, sdp_of(caller, caller_rtcp));
  relay_->set_peer(stream, Side::b, sdp_of(callee, callee_rtcp));
  caller.send(relay_->ports(stream).a_rtp, std::string(3000, 'x'));
  caller.send(relay_->ports(stream).a_rtp, "small");
  const auto arrived = callee.receive();
  ASSERT_TRUE(arrived.has_value());
  EXPECT_EQ(arrived->payload, "small");
  EXPECT_TRUE(wait_until([&] {
    return metric("starling_media_packets_dropped_total", {{"reason", "too_large"}}) == 1;
  }));
}

TEST_F(MediaRelayTest, FreesThePortsOfAClosedStream) {
  // Room for one stream exactly (two port pairs).
  start_relay("127.0.0.1", 1, /*pairs=*/2);
  const StreamId first = open();
  const StreamPorts ports = relay_->ports(first);
  ASSERT_NE(ports.a_rtp, 0);
  const auto refused = relay_->open_stream();
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(), RelayError::ports_exhausted);
  EXPECT_EQ(metric("starling_media_ports_exhausted_total"), 1U);

  relay_->close_stream(first);
  EXPECT_EQ(relay_->open_streams(), 0U);
  EXPECT_FALSE(relay_->counters(first).has_value());
  EXPECT_EQ(relay_->ports(first).a_rtp, 0);
  // The worker closes the sockets; the ports come back as soon as it has.
  std::optional<StreamId> second;
  ASSERT_TRUE(wait_until([&] {
    auto opened = relay_->open_stream();
    second = opened ? std::optional(*opened) : std::nullopt;
    return second.has_value();
  }));
  EXPECT_NE(*second, first);
  EXPECT_EQ(relay_->open_streams(), 1U);
  EXPECT_EQ(metrics_.gauge("starling_media_streams", "").value(), 1);
}

TEST_F(MediaRelayTest, StopsRelayingForAClosedStream) {
  start_relay();
  Phone caller, caller_rtcp, callee, callee_rtcp;
  const StreamId stream = open();
  relay_->set_peer(stream, Side::a, sdp_of(caller, caller_rtcp));
  relay_->set_peer(stream, Side::b, sdp_of(callee, callee_rtcp));
  const StreamPorts ports = relay_->ports(stream);
  caller.send(ports.a_rtp, "before");
  ASSERT_TRUE(callee.receive().has_value());

  relay_->close_stream(stream);
  relay_->close_stream(stream); // twice, as a BYE and a CANCEL racing might
  relay_->close_stream(12345);  // and an id that never was
  relay_->set_peer(stream, Side::a, sdp_of(caller, caller_rtcp));
  caller.send(ports.a_rtp, "after");
  EXPECT_FALSE(callee.receive(100ms).has_value());
}

TEST_F(MediaRelayTest, RelaysBetweenIpv6Phones) {
  start_relay("::1");
  Phone caller("::1"), caller_rtcp("::1"), callee("::1"), callee_rtcp("::1");
  const StreamId stream = open();
  relay_->set_peer(stream, Side::a, sdp_of(caller, caller_rtcp));
  relay_->set_peer(stream, Side::b, sdp_of(callee, callee_rtcp));
  const StreamPorts ports = relay_->ports(stream);

  caller.send(ports.a_rtp, "over ipv6");
  const auto at_callee = callee.receive();
  ASSERT_TRUE(at_callee.has_value());
  EXPECT_EQ(at_callee->payload, "over ipv6");
  callee_rtcp.send(rtcp(ports.b_rtp), "rtcp over ipv6");
  const auto at_caller = caller_rtcp.receive();
  ASSERT_TRUE(at_caller.has_value());
  EXPECT_EQ(at_caller->payload, "rtcp over ipv6");
}

TEST_F(MediaRelayTest, ServesIpv4PhonesFromADualStackAddress) {
  start_relay("::");
  Phone caller, caller_rtcp, callee_sdp, callee_rtcp, callee_nat;
  const StreamId stream = open();
  relay_->set_peer(stream, Side::a, sdp_of(caller, caller_rtcp)); // plain IPv4 from the SDP
  relay_->set_peer(stream, Side::b, sdp_of(callee_sdp, callee_rtcp));
  const StreamPorts ports = relay_->ports(stream);

  caller.send(ports.a_rtp, "v4 to v4");
  const auto at_callee = callee_sdp.receive();
  ASSERT_TRUE(at_callee.has_value());
  EXPECT_EQ(at_callee->payload, "v4 to v4");

  callee_nat.send(ports.b_rtp, "latched over v4"); // latches a v4-mapped source
  ASSERT_TRUE(caller.receive().has_value());
  caller.send(ports.a_rtp, "back");
  const auto at_nat = callee_nat.receive();
  ASSERT_TRUE(at_nat.has_value());
  EXPECT_EQ(at_nat->payload, "back");
}

TEST_F(MediaRelayTest, RelaysManyStreamsOverTwoThreads) {
  constexpr std::size_t kStreams = 40;
  start_relay("127.0.0.1", 2, /*pairs=*/2 * kStreams + 8);
  struct Call {
    Phone caller, caller_rtcp, callee, callee_rtcp;
    StreamId stream = 0;
  };
  std::vector<std::unique_ptr<Call>> calls;
  for (std::size_t i = 0; i < kStreams; ++i) {
    auto call = std::make_unique<Call>();
    call->stream = open();
    relay_->set_peer(call->stream, Side::a, sdp_of(call->caller, call->caller_rtcp));
    relay_->set_peer(call->stream, Side::b, sdp_of(call->callee, call->callee_rtcp));
    calls.push_back(std::move(call));
  }
  EXPECT_EQ(relay_->open_streams(), kStreams);

  for (std::size_t i = 0; i < kStreams; ++i) {
    const StreamPorts ports = relay_->ports(calls[i]->stream);
    calls[i]->caller.send(ports.a_rtp, "to callee " + std::to_string(i));
    calls[i]->callee.send(ports.b_rtp, "to caller " + std::to_string(i));
  }
  for (std::size_t i = 0; i < kStreams; ++i) {
    const auto at_callee = calls[i]->callee.receive();
    const auto at_caller = calls[i]->caller.receive();
    ASSERT_TRUE(at_callee.has_value()) << i;
    ASSERT_TRUE(at_caller.has_value()) << i;
    EXPECT_EQ(at_callee->payload, "to callee " + std::to_string(i));
    EXPECT_EQ(at_caller->payload, "to caller " + std::to_string(i));
  }
  for (const auto& call : calls) {
    relay_->close_stream(call->stream);
  }
  EXPECT_EQ(relay_->open_streams(), 0U);
  EXPECT_EQ(metrics_.gauge("starling_media_streams", "").value(), 0);
}

TEST_F(MediaRelayTest, RefusesStreamsUnlessRunning) {
  MediaRelay relay(RelaySettings{.bind_address = ip::make_address("127.0.0.1")}, metrics_);
  ASSERT_FALSE(relay.open_stream().has_value());
  EXPECT_EQ(relay.open_stream().error(), RelayError::stopped);
  EXPECT_EQ(relay.ports(1).a_rtp, 0);
  relay.set_peer(1, Side::a, PeerAddress{});
  relay.close_stream(1);

  start_relay();
  open();
  relay_->stop();
  EXPECT_EQ(relay_->open_stream().error(), RelayError::stopped);
  EXPECT_EQ(relay_->open_streams(), 0U);
}

TEST_F(MediaRelayTest, ExplainsAnAddressThatIsNotThisHosts) {
  // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this host; nothing is sent.
  MediaRelay relay(RelaySettings{.bind_address = ip::make_address("192.0.2.1")}, metrics_);
  const auto started = relay.start();
  ASSERT_FALSE(started.has_value());
  EXPECT_NE(started.error().find("media.address 192.0.2.1"), std::string::npos) << started.error();
}

TEST_F(MediaRelayTest, ExplainsAPortRangeWithoutRoomForRtpAndRtcp) {
  MediaRelay relay(RelaySettings{.bind_address = ip::make_address("127.0.0.1"),
                                 .port_min = 20001,
                                 .port_max = 20002},
                   metrics_);
  const auto started = relay.start();
  ASSERT_FALSE(started.has_value());
  EXPECT_NE(started.error().find("media.rtp_port_min 20001"), std::string::npos) << started.error();
}

} // namespace
} // namespace starling::media
