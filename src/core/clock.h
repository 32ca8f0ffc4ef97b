// Time as services see it: the real monotonic clock in production, a hand-stepped one in
// tests, so timers (SIP T1, nonce lifetime, bans) are tested without sleeping.
#pragma once

#include <chrono>
#include <cstdint>

namespace starling::core {

class Clock {
public:
  using Duration = std::chrono::steady_clock::duration;
  using TimePoint = std::chrono::steady_clock::time_point;

  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  Clock(Clock&&) = delete;
  Clock& operator=(Clock&&) = delete;
  virtual ~Clock() = default;

  [[nodiscard]] virtual TimePoint now() const = 0;
  // Wall-clock time, for what is stored or shown (expiry dates, call records).
  [[nodiscard]] virtual std::chrono::system_clock::time_point system_now() const = 0;
};

class SteadyClock final : public Clock {
public:
  [[nodiscard]] TimePoint now() const override { return std::chrono::steady_clock::now(); }
  [[nodiscard]] std::chrono::system_clock::time_point system_now() const override {
    return std::chrono::system_clock::now();
  }
};

// Starts at an arbitrary fixed point and moves only when told to.
class ManualClock final : public Clock {
public:
  [[nodiscard]] TimePoint now() const override { return now_; }
  [[nodiscard]] std::chrono::system_clock::time_point system_now() const override {
    return system_now_;
  }
  void advance(Duration by) {
    now_ += by;
    system_now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(by);
  }

private:
  TimePoint now_{std::chrono::hours(1)};
  // 2026-01-01T00:00:00Z, so stored dates in tests look like real ones.
  std::chrono::system_clock::time_point system_now_{std::chrono::seconds(1'767'225'600)};
};

// Whole seconds since 1970-01-01 UTC: the timestamps the store and the records keep.
inline std::int64_t unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

} // namespace starling::core
