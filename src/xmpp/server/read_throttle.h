// A token bucket over the bytes a client sends: reading pauses while a client is over its
// rate, so one client cannot take the thread's time from all others (RFC 6120 §13.12 asks
// servers to limit the bandwidth of a connection).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>

namespace starling::xmpp::server {

struct ReadRate {
  std::size_t bytes_per_second = 0;
  std::size_t burst = 0; // bytes that may come at once after a quiet spell
};

// Before authentication a client needs a few KiB (SCRAM is under 2 KiB); after it, chat
// with avatars and bursts of presence at login.
inline constexpr std::size_t kKiB = 1024;
inline constexpr ReadRate kRateBeforeAuth{.bytes_per_second = 16 * kKiB, .burst = 32 * kKiB};
inline constexpr ReadRate kRateAuthenticated{.bytes_per_second = 1024 * kKiB, .burst = 4096 * kKiB};

class ReadThrottle {
public:
  using Clock = std::chrono::steady_clock;

  ReadThrottle(ReadRate rate, Clock::time_point now)
      : rate_(rate), tokens_(static_cast<double>(rate.burst)), updated_(now) {}

  // Keeps the tokens the client has; the new rate applies from `now` on.
  void set_rate(ReadRate rate, Clock::time_point now) {
    refill(now);
    rate_ = rate;
  }

  // `bytes` were just read: how long to wait before reading again.
  [[nodiscard]] Clock::duration pause_after(std::size_t bytes, Clock::time_point now) {
    refill(now);
    tokens_ -= static_cast<double>(bytes);
    if (tokens_ >= 0) {
      return Clock::duration::zero();
    }
    const std::chrono::duration<double> wait(-tokens_ /
                                             static_cast<double>(rate_.bytes_per_second));
    return std::chrono::duration_cast<Clock::duration>(wait);
  }

private:
  void refill(Clock::time_point now) {
    const std::chrono::duration<double> elapsed = now - updated_;
    updated_ = now;
    tokens_ = std::min(static_cast<double>(rate_.burst),
                       tokens_ + elapsed.count() * static_cast<double>(rate_.bytes_per_second));
  }

  ReadRate rate_;
  double tokens_;
  Clock::time_point updated_;
};

} // namespace starling::xmpp::server
