// When the SIP UDP socket is read on readiness and when on a timer.
//
// Woken for each datagram, the signalling thread pays a sleep, a wake-up and cold caches per
// datagram: on the development VM that was most of a registration's CPU at 1,000–4,000
// registrations a second. When datagrams come thick and fast, the listener shuts its
// readiness gate and reads the socket once per window instead, answering everything that
// arrived meanwhile in one turn. Each datagram then waits at most a window longer, a
// 2 ms by default, against the 500 ms before SIP over UDP retransmits anything
// (RFC 3261 §17.1.1.1). A quiet socket is read on readiness, so a lone request waits for
// nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace starling::sip::detail {

class ReceivePacing {
public:
  using Clock = std::chrono::steady_clock;

  // A window of zero always reads on readiness.
  explicit ReceivePacing(std::chrono::microseconds window) : window_(window) {}

  // Called after each turn, with the time the turn began and the datagrams it read. True:
  // read next when the window has passed; false: when a datagram arrives.
  bool read_on_timer_after(Clock::time_point turn_began, std::size_t datagrams);

  // What the last read_on_timer_after() said.
  [[nodiscard]] bool reading_on_timer() const { return on_timer_; }
  [[nodiscard]] std::chrono::microseconds window() const { return window_; }

private:
  std::chrono::microseconds window_;
  std::optional<Clock::time_point> last_turn_began_;
  bool on_timer_ = false;
};

} // namespace starling::sip::detail
