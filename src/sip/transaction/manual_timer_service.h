// A TimerService for tests: timers fire only when the test advances a core::ManualClock
// through this service, in due order, each seeing the clock at its due time.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <utility>

#include "core/clock.h"
#include "sip/transaction/timer_service.h"

namespace starling::sip {

class ManualTimerService final : public TimerService {
public:
  explicit ManualTimerService(core::ManualClock& clock) : clock_(clock) {}

  TimerHandle start(std::chrono::milliseconds delay, std::function<void()> callback) override;
  void cancel(TimerHandle handle) override;

  // Moves the clock forward by `by`, stopping at each due timer to run it; timers that
  // callbacks start are run too when they fall within the interval.
  void advance(core::Clock::Duration by);
  // Runs the timers due at the clock's current time (after the clock was moved directly).
  void run_due();

  [[nodiscard]] std::size_t pending() const { return queue_.size(); }

private:
  using Key = std::pair<core::Clock::TimePoint, std::uint64_t>; // due time, then start order
  // Runs the earliest timer if it is due at or before `until`; false when there is none.
  bool run_next(core::Clock::TimePoint until);

  core::ManualClock& clock_;
  std::uint64_t next_id_ = 1;
  std::map<Key, std::function<void()>> queue_;
  std::unordered_map<std::uint64_t, core::Clock::TimePoint> due_by_id_;
};

} // namespace starling::sip
