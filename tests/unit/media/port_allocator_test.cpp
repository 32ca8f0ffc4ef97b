// Tests of RTP/RTCP port pair allocation: even ports, skipping ports in use, running out,
// round-robin reuse.
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "media/port_allocator.h"

namespace starling::media {
namespace {

namespace ip = boost::asio::ip;

const ip::address kLoopback = ip::make_address("127.0.0.1");

bool can_bind(std::uint16_t port) {
  boost::asio::io_context io;
  ip::udp::socket probe(io, ip::udp::v4());
  boost::system::error_code error;
  probe.bind(ip::udp::endpoint(kLoopback, port), error);
  return !error;
}

// The first port of `count` free ports starting at an even port, below Linux's ephemeral range
// (32768-60999) so no outgoing socket of a test running alongside takes one meanwhile.
std::uint16_t free_even_range(unsigned count) {
  std::mt19937 random(static_cast<unsigned>(::getpid()));
  std::uniform_int_distribution<unsigned> pick(20000 / 2, (32000 - count) / 2);
  for (int attempt = 0; attempt < 200; ++attempt) {
    const auto first = static_cast<std::uint16_t>(pick(random) * 2);
    bool all_free = true;
    for (unsigned i = 0; i < count && all_free; ++i) {
      all_free = can_bind(static_cast<std::uint16_t>(first + i));
    }
    if (all_free) {
      return first;
    }
  }
  throw std::runtime_error("no free port range for the test");
}

std::uint16_t local_port(const core::UniqueFd& fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return 0;
  }
  return ntohs(address.sin_port);
}

TEST(PortAllocator, GivesEvenRtpPortsWithRtcpOnTheNextPort) {
  const std::uint16_t first = free_even_range(6);
  PortAllocator allocator(kLoopback, first, static_cast<std::uint16_t>(first + 5));
  EXPECT_EQ(allocator.capacity(), 3U);

  std::set<std::uint16_t> seen;
  for (int i = 0; i < 3; ++i) {
    auto pair = allocator.allocate();
    ASSERT_TRUE(pair.has_value());
    EXPECT_EQ(pair->rtp_port % 2, 0);
    EXPECT_GE(pair->rtp_port, first);
    EXPECT_LE(pair->rtcp_port(), first + 5);
    EXPECT_EQ(local_port(pair->rtp), pair->rtp_port);
    EXPECT_EQ(local_port(pair->rtcp), pair->rtp_port + 1);
    seen.insert(pair->rtp_port);
  }
  EXPECT_EQ(seen.size(), 3U);
  EXPECT_EQ(allocator.in_use(), 3U);
}

TEST(PortAllocator, StartsAtTheNextEvenPortWhenTheRangeStartsOdd) {
  const std::uint16_t first = free_even_range(6);
  // first+1 is odd; first+4 has no RTCP port inside the range.
  PortAllocator allocator(kLoopback, static_cast<std::uint16_t>(first + 1),
                          static_cast<std::uint16_t>(first + 4));
  EXPECT_EQ(allocator.capacity(), 1U);
  const auto pair = allocator.allocate();
  ASSERT_TRUE(pair.has_value());
  EXPECT_EQ(pair->rtp_port, first + 2);
}

TEST(PortAllocator, SkipsPortsThatAnotherProgramHolds) {
  const std::uint16_t first = free_even_range(6);
  boost::asio::io_context io;
  // Another program holds the first pair's RTP port and the second pair's RTCP port.
  ip::udp::socket rtp_taken(io, ip::udp::endpoint(kLoopback, first));
  ip::udp::socket rtcp_taken(io,
                             ip::udp::endpoint(kLoopback, static_cast<std::uint16_t>(first + 3)));
  PortAllocator allocator(kLoopback, first, static_cast<std::uint16_t>(first + 5));

  const auto pair = allocator.allocate();
  ASSERT_TRUE(pair.has_value());
  EXPECT_EQ(pair->rtp_port, first + 4);
  EXPECT_FALSE(allocator.allocate().has_value());
  EXPECT_EQ(allocator.in_use(), 1U);
}

TEST(PortAllocator, RunsOutWhenEveryPairIsTakenAndRecoversOnRelease) {
  const std::uint16_t first = free_even_range(4);
  PortAllocator allocator(kLoopback, first, static_cast<std::uint16_t>(first + 3));
  auto one = allocator.allocate();
  auto two = allocator.allocate();
  ASSERT_TRUE(one.has_value());
  ASSERT_TRUE(two.has_value());
  EXPECT_FALSE(allocator.allocate().has_value());

  const std::uint16_t freed = one->rtp_port;
  one.reset(); // the sockets close before the port goes back
  allocator.release(freed);
  const auto again = allocator.allocate();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->rtp_port, freed);
}

TEST(PortAllocator, DoesNotHandOutAJustFreedPairBeforeTheOthers) {
  const std::uint16_t first = free_even_range(6);
  PortAllocator allocator(kLoopback, first, static_cast<std::uint16_t>(first + 5));
  std::vector<std::uint16_t> order;
  for (int i = 0; i < 4; ++i) {
    auto pair = allocator.allocate();
    ASSERT_TRUE(pair.has_value());
    order.push_back(pair->rtp_port);
    const std::uint16_t port = pair->rtp_port;
    pair.reset();
    allocator.release(port); // every call ends at once, yet its ports rest a while
  }
  EXPECT_NE(order[1], order[0]);
  EXPECT_NE(order[2], order[1]);
  EXPECT_NE(order[2], order[0]);
  EXPECT_EQ(order[3], order[0]); // only after the whole range went round
}

TEST(PortAllocator, IgnoresReleaseOfPortsItNeverGave) {
  const std::uint16_t first = free_even_range(2);
  PortAllocator allocator(kLoopback, first, static_cast<std::uint16_t>(first + 1));
  allocator.release(static_cast<std::uint16_t>(first + 1));
  allocator.release(static_cast<std::uint16_t>(first + 2));
  allocator.release(1);
  const auto pair = allocator.allocate();
  ASSERT_TRUE(pair.has_value());
  allocator.release(static_cast<std::uint16_t>(first + 1));
  EXPECT_EQ(allocator.in_use(), 1U);
  EXPECT_FALSE(allocator.allocate().has_value());
}

TEST(PortAllocator, HasNoPairsInARangeWithoutAnOddPortAfterAnEvenOne) {
  PortAllocator allocator(kLoopback, 20001, 20002);
  EXPECT_EQ(allocator.capacity(), 0U);
  EXPECT_FALSE(allocator.allocate().has_value());
  PortAllocator reversed(kLoopback, 20010, 20000);
  EXPECT_EQ(reversed.capacity(), 0U);
}

} // namespace
} // namespace starling::media
