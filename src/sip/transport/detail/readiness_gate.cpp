// The readiness of one descriptor through an epoll set of its own (see the header for why).
#include "sip/transport/detail/readiness_gate.h"

#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sys/epoll.h>

#include "core/unique_fd.h"
#include "sip/transport/detail/system_error.h"

namespace starling::sip::detail {

std::expected<ReadinessGate, boost::system::error_code>
ReadinessGate::open(boost::asio::io_context& io, int descriptor, std::uint32_t events) {
  core::UniqueFd epoll(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll) {
    return std::unexpected(last_system_error());
  }
  epoll_event event{};
  event.events = events;
  if (::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, descriptor, &event) != 0) {
    return std::unexpected(last_system_error());
  }
  // Asio now waits on the set: the set reads as readable while the descriptor has a watched
  // event pending (a nested epoll set reports its own readiness to the set watching it).
  return ReadinessGate(boost::asio::posix::stream_descriptor(io, epoll.release()), descriptor,
                       events);
}

void ReadinessGate::watch(std::uint32_t events) {
  if (events == events_ || !epoll_.is_open()) {
    return;
  }
  epoll_event event{};
  event.events = events;
  // Only a descriptor closed under the gate makes this fail, and then nothing is to be waited
  // for any more.
  if (::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_MOD, descriptor_, &event) == 0) {
    events_ = events;
  }
}

boost::asio::awaitable<boost::system::error_code> ReadinessGate::wait() {
  auto [error] = co_await epoll_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                                            boost::asio::as_tuple(boost::asio::use_awaitable));
  co_return error;
}

void ReadinessGate::close() {
  boost::system::error_code ignored;
  epoll_.close(ignored);
}

} // namespace starling::sip::detail
