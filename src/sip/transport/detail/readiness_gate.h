// The readiness of one descriptor, watched through an epoll set of its own that Asio waits on,
// so that it can be switched off.
//
// Asio keeps each descriptor it owns in its epoll set for the descriptor's whole life, edge-
// triggered, so every datagram that arrives wakes the thread even when nothing waits for it.
// While the gate is shut, the descriptor's events wake no one: its owner reads it when it
// chooses (UdpListener, on a timer when datagrams come thick and fast).
#pragma once

#include <cstdint>
#include <expected>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/error_code.hpp>

namespace starling::sip::detail {

class ReadinessGate {
public:
  // Watches `descriptor` (not owned; it must outlive the gate) for `events` (EPOLLIN,
  // EPOLLOUT). Fails when the process may open no more descriptors.
  static std::expected<ReadinessGate, boost::system::error_code>
  open(boost::asio::io_context& io, int descriptor, std::uint32_t events);

  // Which events complete a wait(); 0 shuts the gate. An event already pending when the gate
  // opens completes the next wait at once, so nothing that arrived while it was shut is lost.
  void watch(std::uint32_t events);
  [[nodiscard]] std::uint32_t watched() const { return events_; }

  // Completes when a watched event is pending; with operation_aborted after close().
  boost::asio::awaitable<boost::system::error_code> wait();
  void close();

private:
  ReadinessGate(boost::asio::posix::stream_descriptor epoll, int descriptor, std::uint32_t events)
      : epoll_(std::move(epoll)), descriptor_(descriptor), events_(events) {}

  boost::asio::posix::stream_descriptor epoll_; // an epoll set holding only descriptor_
  int descriptor_;
  std::uint32_t events_;
};

} // namespace starling::sip::detail
