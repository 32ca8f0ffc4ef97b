// One named timer of a transaction (Timer A, Timer B …): restarting replaces the pending
// run, and destroying the transaction cancels it, so no callback outlives its transaction.
#pragma once

#include <chrono>
#include <functional>
#include <utility>

#include "sip/transaction/timer_service.h"

namespace starling::sip {

class TimerSlot {
public:
  explicit TimerSlot(TimerService& service) : service_(service) {}
  ~TimerSlot() { cancel(); }
  TimerSlot(const TimerSlot&) = delete;
  TimerSlot& operator=(const TimerSlot&) = delete;
  TimerSlot(TimerSlot&&) = delete;
  TimerSlot& operator=(TimerSlot&&) = delete;

  void start(std::chrono::milliseconds delay, std::function<void()> callback) {
    cancel();
    handle_ = service_.start(delay, std::move(callback));
  }
  // Cancelling a timer that has fired does nothing (TimerService contract), so the handle
  // need not be cleared when the callback runs.
  void cancel() {
    if (handle_.valid()) {
      service_.cancel(handle_);
      handle_ = TimerHandle{};
    }
  }

private:
  TimerService& service_;
  TimerHandle handle_;
};

} // namespace starling::sip
