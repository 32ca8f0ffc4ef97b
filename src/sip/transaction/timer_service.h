// The timers a transaction starts and cancels, behind an interface so that production runs
// them on an io_context and tests step them with a ManualClock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace starling::sip {

// Names one started timer. The default handle names none; cancelling it does nothing.
struct TimerHandle {
  std::uint64_t id = 0;

  [[nodiscard]] bool valid() const { return id != 0; }
  friend bool operator==(TimerHandle, TimerHandle) = default;
};

// Single-threaded (one per shard): callbacks run on the thread that owns the service.
class TimerService {
public:
  TimerService() = default;
  TimerService(const TimerService&) = delete;
  TimerService& operator=(const TimerService&) = delete;
  TimerService(TimerService&&) = delete;
  TimerService& operator=(TimerService&&) = delete;
  virtual ~TimerService() = default;

  // Runs `callback` once after `delay`, unless cancelled first.
  virtual TimerHandle start(std::chrono::milliseconds delay, std::function<void()> callback) = 0;
  // After cancel() the callback never runs. Cancelling a timer that already fired, or from
  // inside its own callback, is allowed and does nothing.
  virtual void cancel(TimerHandle handle) = 0;
};

} // namespace starling::sip
