// The production TimerService: one boost::asio::steady_timer per started timer, on the
// shard's io_context.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sip/transaction/timer_service.h"

namespace starling::sip {

// Use it from the io_context's thread only. Destroying the service cancels its timers;
// handlers already queued then find it gone (they hold a weak reference) and do nothing.
class AsioTimerService final : public TimerService {
public:
  explicit AsioTimerService(boost::asio::io_context& io);
  ~AsioTimerService() override = default;
  AsioTimerService(const AsioTimerService&) = delete;
  AsioTimerService& operator=(const AsioTimerService&) = delete;
  AsioTimerService(AsioTimerService&&) = delete;
  AsioTimerService& operator=(AsioTimerService&&) = delete;

  TimerHandle start(std::chrono::milliseconds delay, std::function<void()> callback) override;
  void cancel(TimerHandle handle) override;

private:
  using Table = std::unordered_map<std::uint64_t, std::unique_ptr<boost::asio::steady_timer>>;

  boost::asio::io_context& io_;
  std::uint64_t next_id_ = 1;
  std::shared_ptr<Table> timers_;
};

} // namespace starling::sip
