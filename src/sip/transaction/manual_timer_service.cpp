// Timers for tests, fired in due order as the test moves a ManualClock.
#include "sip/transaction/manual_timer_service.h"

#include <utility>

namespace starling::sip {

TimerHandle ManualTimerService::start(std::chrono::milliseconds delay,
                                      std::function<void()> callback) {
  const std::uint64_t id = next_id_++;
  const auto due = clock_.now() + delay;
  queue_.emplace(Key{due, id}, std::move(callback));
  due_by_id_.emplace(id, due);
  return TimerHandle{id};
}

void ManualTimerService::cancel(TimerHandle handle) {
  const auto it = due_by_id_.find(handle.id);
  if (it == due_by_id_.end()) {
    return; // never started, already fired or already cancelled
  }
  queue_.erase(Key{it->second, handle.id});
  due_by_id_.erase(it);
}

bool ManualTimerService::run_next(core::Clock::TimePoint until) {
  if (queue_.empty() || queue_.begin()->first.first > until) {
    return false;
  }
  auto node = queue_.extract(queue_.begin());
  due_by_id_.erase(node.key().second);
  if (node.key().first > clock_.now()) {
    clock_.advance(node.key().first - clock_.now());
  }
  // The callback was taken out of the queue first, so it may cancel or start timers.
  node.mapped()();
  return true;
}

void ManualTimerService::advance(core::Clock::Duration by) {
  const auto until = clock_.now() + by;
  // Each run removes one timer; a callback that keeps restarting a zero-delay timer would
  // loop forever, so the number of runs is bounded.
  constexpr int kMaxRunsPerAdvance = 1'000'000;
  for (int runs = 0; runs < kMaxRunsPerAdvance && run_next(until); ++runs) {
  }
  if (until > clock_.now()) {
    clock_.advance(until - clock_.now());
  }
}

void ManualTimerService::run_due() {
  advance(core::Clock::Duration::zero());
}

} // namespace starling::sip
