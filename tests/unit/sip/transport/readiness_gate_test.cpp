// Tests of ReadinessGate on a real UDP socket on loopback: what it reports, and that a shut
// gate wakes no one but loses nothing.
#include <chrono>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "sip/transport/detail/readiness_gate.h"

namespace starling::sip::detail {
namespace {

namespace asio = boost::asio;
namespace ip = boost::asio::ip;

class ReadinessGateTest : public ::testing::Test {
protected:
  void SetUp() override {
    sender_.open(ip::udp::v4());
    // The gate's own descriptor stays outside Asio, as UdpListener's does.
    watched_.open(ip::udp::v4());
    watched_.bind(ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
    address_ = watched_.local_endpoint();
    descriptor_ = watched_.release();
  }
  void TearDown() override { ::close(descriptor_); }

  ReadinessGate open_gate(std::uint32_t events) {
    auto gate = ReadinessGate::open(io_, descriptor_, events);
    EXPECT_TRUE(gate) << gate.error().message();
    return std::move(*gate);
  }

  // Starts a wait on `gate`; its result lands in `result`.
  void start_wait(ReadinessGate& gate, std::optional<boost::system::error_code>& result) {
    asio::co_spawn(
        io_, [&]() -> asio::awaitable<void> { result = co_await gate.wait(); }, asio::detached);
  }

  void run_for(std::chrono::milliseconds time) {
    io_.restart();
    io_.run_for(time);
  }

  void send_datagram() { sender_.send_to(asio::buffer("x", 1), address_); }

  asio::io_context io_;
  ip::udp::socket sender_{io_};
  ip::udp::socket watched_{io_};
  ip::udp::endpoint address_;
  int descriptor_ = -1;
};

TEST_F(ReadinessGateTest, AWaitCompletesWhenADatagramArrives) {
  auto gate = open_gate(EPOLLIN);
  std::optional<boost::system::error_code> result;
  start_wait(gate, result);
  run_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(result) << "nothing arrived yet";
  send_datagram();
  run_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(result);
  EXPECT_FALSE(*result);
}

TEST_F(ReadinessGateTest, AShutGateWakesNoOneAndReportsWhatCameWhenItOpens) {
  auto gate = open_gate(EPOLLIN);
  gate.watch(0);
  EXPECT_EQ(gate.watched(), 0U);
  std::optional<boost::system::error_code> result;
  start_wait(gate, result);
  send_datagram();
  run_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(result) << "a shut gate completed a wait";
  gate.watch(EPOLLIN);
  run_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(result) << "the datagram that came while the gate was shut was lost";
  EXPECT_FALSE(*result);
}

TEST_F(ReadinessGateTest, ReportsRoomToSendWhenAskedFor) {
  auto gate = open_gate(EPOLLIN | EPOLLOUT); // an idle socket has room at once
  std::optional<boost::system::error_code> result;
  start_wait(gate, result);
  run_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(result);
  EXPECT_FALSE(*result);
}

TEST_F(ReadinessGateTest, CloseAbortsAWait) {
  auto gate = open_gate(EPOLLIN);
  std::optional<boost::system::error_code> result;
  start_wait(gate, result);
  run_for(std::chrono::milliseconds(5));
  gate.close();
  gate.watch(EPOLLIN | EPOLLOUT); // does nothing once closed
  run_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, asio::error::operation_aborted);
}

} // namespace
} // namespace starling::sip::detail
