// When the SIP UDP socket is read on readiness and when on a timer, and how long the timer is.
//
// Woken for each datagram, the signalling thread pays a sleep, a wake-up and cold caches per
// datagram: on the development VM that was most of a registration's CPU at 1,000–4,000
// registrations a second. When datagrams come thick and fast, the listener shuts its
// readiness gate and reads the socket once per window instead, answering everything that
// arrived meanwhile in one turn. A burst begins with a short window, a quarter of the
// longest; while the load lasts and turns bring few datagrams the window doubles, up to the
// longest, so that a steady load of a thousand registrations a second is read in turns of
// a dozen or more, not three or four. A window that brings many halves again, so that the
// socket's queue never has to hold more than a few turns' worth. Each datagram waits at most
// one window longer, 8 ms by default, against the 500 ms before SIP over UDP retransmits
// anything (RFC 3261 §17.1.1.1). A quiet socket is read on readiness, so a lone request
// waits for nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace starling::sip::detail {

class ReceivePacing {
public:
  using Clock = std::chrono::steady_clock;

  // A longest window of zero always reads on readiness.
  explicit ReceivePacing(std::chrono::microseconds longest_window);

  // Called after each turn, with the time the turn began and the datagrams it read. True:
  // read next when window() has passed; false: when a datagram arrives.
  bool read_on_timer_after(Clock::time_point turn_began, std::size_t datagrams);

  // What the last read_on_timer_after() said.
  [[nodiscard]] bool reading_on_timer() const { return on_timer_; }
  // How long the next timer turn waits.
  [[nodiscard]] std::chrono::microseconds window() const { return window_; }

private:
  void adapt_window(std::size_t datagrams);

  std::chrono::microseconds first_window_;
  std::chrono::microseconds longest_window_;
  std::chrono::microseconds window_;
  std::optional<Clock::time_point> last_turn_began_;
  bool on_timer_ = false;
};

} // namespace starling::sip::detail
