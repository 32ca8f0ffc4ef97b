// When the SIP UDP socket is read on readiness and when on a timer.
#include "sip/transport/detail/receive_pacing.h"

namespace starling::sip::detail {

bool ReceivePacing::read_on_timer_after(Clock::time_point turn_began, std::size_t datagrams) {
  if (window_ == std::chrono::microseconds::zero()) {
    return false;
  }
  if (on_timer_) {
    // A window that brought nothing means the burst is over.
    on_timer_ = datagrams > 0;
  } else {
    // Busy: several datagrams were waiting, or the last wake-up was less than a window ago.
    const bool woken_recently = last_turn_began_ && turn_began - *last_turn_began_ < window_;
    on_timer_ = datagrams > 1 || (datagrams == 1 && woken_recently);
  }
  last_turn_began_ = turn_began;
  return on_timer_;
}

} // namespace starling::sip::detail
