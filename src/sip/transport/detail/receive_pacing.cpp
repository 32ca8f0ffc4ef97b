// When the SIP UDP socket is read on readiness and when on a timer.
#include "sip/transport/detail/receive_pacing.h"

#include <algorithm>

namespace starling::sip::detail {
namespace {

// A burst's first window is this fraction of the longest: short exchanges (an INVITE, its
// 100 and 180) wait little, and two doublings reach the longest.
constexpr int kFirstWindowDivisor = 4;
// Turns that bring fewer datagrams than this lengthen the window; turns that bring more
// than twice as many shorten it. A turn of a few datagrams still pays most of a wake-up's
// cost (cold caches after the other processes ran); 128 datagrams are four of the
// listener's receive batches and, at about 1.4 KiB each, well inside the kernel's default
// socket queue of 208 KiB.
constexpr std::size_t kTargetDatagramsPerTurn = 64;

} // namespace

ReceivePacing::ReceivePacing(std::chrono::microseconds longest_window)
    : first_window_(std::max(longest_window / kFirstWindowDivisor, std::chrono::microseconds(1))),
      longest_window_(longest_window), window_(first_window_) {}

bool ReceivePacing::read_on_timer_after(Clock::time_point turn_began, std::size_t datagrams) {
  if (longest_window_ == std::chrono::microseconds::zero()) {
    return false;
  }
  if (on_timer_) {
    // A window that brought nothing means the burst is over.
    on_timer_ = datagrams > 0;
    if (on_timer_) {
      adapt_window(datagrams);
    }
  } else {
    // Busy: several datagrams were waiting, or the last wake-up was a short window ago.
    const bool woken_recently = last_turn_began_ && turn_began - *last_turn_began_ < first_window_;
    on_timer_ = datagrams > 1 || (datagrams == 1 && woken_recently);
    window_ = first_window_;
  }
  last_turn_began_ = turn_began;
  return on_timer_;
}

void ReceivePacing::adapt_window(std::size_t datagrams) {
  if (datagrams < kTargetDatagramsPerTurn) {
    window_ = std::min(window_ * 2, longest_window_);
  } else if (datagrams > 2 * kTargetDatagramsPerTurn) {
    window_ = std::max(window_ / 2, first_window_);
  }
}

} // namespace starling::sip::detail
