// Transaction timers on boost::asio steady_timers.
#include "sip/transaction/asio_timer_service.h"

#include <utility>

#include <boost/asio/error.hpp>

namespace starling::sip {

AsioTimerService::AsioTimerService(boost::asio::io_context& io)
    : io_(io), timers_(std::make_shared<Table>()) {}

TimerHandle AsioTimerService::start(std::chrono::milliseconds delay,
                                    std::function<void()> callback) {
  const std::uint64_t id = next_id_++;
  auto timer = std::make_unique<boost::asio::steady_timer>(io_, delay);
  std::weak_ptr<Table> table = timers_;
  timer->async_wait([table = std::move(table), id,
                     callback = std::move(callback)](const boost::system::error_code& error) {
    if (error == boost::asio::error::operation_aborted) {
      return;
    }
    const auto timers = table.lock();
    // A timer that expired while cancel() ran has its handler queued already; it is no
    // longer in the table, and cancel() promised that its callback never runs.
    if (!timers || timers->erase(id) == 0) {
      return;
    }
    callback();
  });
  timers_->emplace(id, std::move(timer));
  return TimerHandle{id};
}

void AsioTimerService::cancel(TimerHandle handle) {
  // Destroying a steady_timer cancels its wait; the handler then sees operation_aborted.
  timers_->erase(handle.id);
}

} // namespace starling::sip
