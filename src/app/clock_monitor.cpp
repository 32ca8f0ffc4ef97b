// Compares the clock with the configured NTP servers while `serve` runs: metrics and warnings.
#include "app/clock_monitor.h"

#include <ctime>

#include <spdlog/spdlog.h>

namespace starling::app {

ClockMonitor::ClockMonitor(boost::asio::io_context& io, std::vector<std::string> servers,
                           core::MetricsRegistry& metrics, std::chrono::seconds interval)
    : io_(io), interval_(interval), timer_(io) {
  servers_.reserve(servers.size());
  for (auto& server : servers) {
    const core::MetricLabels labels = {{"server", server}};
    servers_.push_back(
        {server,
         metrics.gauge("starling_ntp_offset_microseconds",
                       "Clock offset from the NTP server at the last check (server minus local)",
                       labels),
         metrics.gauge("starling_ntp_last_check_timestamp_seconds",
                       "Unix time of the last check that got an answer from the NTP server",
                       labels),
         metrics.counter("starling_ntp_check_failures_total",
                         "Clock checks the NTP server did not answer", labels),
         false});
  }
}

void ClockMonitor::start() {
  check_all();
}

void ClockMonitor::stop() {
  timer_.cancel();
}

void ClockMonitor::check_all() {
  for (auto& state : servers_) {
    net::query_sntp_server(io_, state.server,
                           [this, &state](net::SntpQueryResult result) { record(state, result); });
  }
  timer_.expires_after(interval_);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) {
      check_all();
    }
  });
}

void ClockMonitor::record(ServerState& state, const net::SntpQueryResult& result) {
  if (!result) {
    state.failures.increment();
    spdlog::warn("clock: NTP server {}: {}", state.server, result.error());
    return;
  }
  const auto offset = std::chrono::duration_cast<std::chrono::microseconds>(result->offset);
  state.offset_microseconds.set(offset.count());
  state.last_check.set(std::time(nullptr));
  const double seconds = std::chrono::duration<double>(offset).count();
  if (std::chrono::abs(offset) > kMaxClockOffset) {
    spdlog::warn("clock: {:+.3f} s off NTP server {}; digest nonces, TLS and call records "
                 "need it within 1 s: synchronize the clock (e.g. chrony)",
                 seconds, state.server);
    state.warned = true;
  } else if (state.warned) {
    spdlog::info("clock: back within 1 s of NTP server {} ({:+.3f} s)", state.server, seconds);
    state.warned = false;
  }
}

} // namespace starling::app
