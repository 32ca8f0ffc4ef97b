// Retransmits a response that RFC 3261 leaves to the UA core rather than the transaction: a
// 2xx to an INVITE until its ACK (§13.3.1.4), a reliable provisional until its PRACK
// (RFC 3262 §3). Both use T1 doubling up to T2 (the 1xx keeps doubling), for 64*T1.
#pragma once

#include <chrono>
#include <functional>

#include "sip/transaction/timer_settings.h"
#include "sip/transaction/timer_slot.h"

namespace starling::pbx {

class ResponseRetransmitter {
public:
  ResponseRetransmitter(sip::TimerService& timers, const sip::TimerSettings& settings)
      : settings_(settings), retransmit_(timers), give_up_(timers) {}

  // `resend` runs at each interval on unreliable transports; `give_up` once after 64*T1
  // without stop(). `capped` selects the 2xx schedule (doubling up to T2).
  void start(std::function<void()> resend, std::function<void()> give_up, bool reliable,
             bool capped);
  void stop() {
    retransmit_.cancel();
    give_up_.cancel();
  }

private:
  void schedule(std::chrono::milliseconds interval);

  sip::TimerSettings settings_;
  std::function<void()> resend_;
  bool capped_ = true;
  sip::TimerSlot retransmit_;
  sip::TimerSlot give_up_;
};

} // namespace starling::pbx
