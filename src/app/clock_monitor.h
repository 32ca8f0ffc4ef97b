// Compares the clock with the configured NTP servers while `serve` runs: metrics and warnings.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/metrics.h"
#include "net/sntp_client.h"

namespace starling::app {

// Clocks drift by seconds a day at worst; a check every 10 minutes notices that long before
// digest nonces (5 minutes) or certificates care, and costs one datagram per server.
inline constexpr std::chrono::seconds kClockCheckInterval{600};
// Beyond this, digest nonces, TLS validity and call record times go wrong.
inline constexpr std::chrono::milliseconds kMaxClockOffset{1000};

class ClockMonitor {
public:
  // Runs on `io`'s thread; `servers` is network.ntp_servers (not empty).
  ClockMonitor(boost::asio::io_context& io, std::vector<std::string> servers,
               core::MetricsRegistry& metrics, std::chrono::seconds interval = kClockCheckInterval);

  // Checks now, then every interval until stop().
  void start();
  void stop();

private:
  struct ServerState {
    std::string server;
    core::Gauge& offset_microseconds;
    core::Gauge& last_check;
    core::Counter& failures;
    bool warned = false; // log a lasting problem once, and its end once
  };

  void check_all();
  void record(ServerState& state, const net::SntpQueryResult& result);

  boost::asio::io_context& io_;
  std::vector<ServerState> servers_;
  std::chrono::seconds interval_;
  boost::asio::steady_timer timer_;
};

} // namespace starling::app
