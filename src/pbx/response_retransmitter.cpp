// Retransmission of 2xx to INVITE and of reliable provisional responses.
#include "pbx/response_retransmitter.h"

#include <utility>

namespace starling::pbx {

void ResponseRetransmitter::start(std::function<void()> resend, std::function<void()> give_up,
                                  bool reliable, bool capped) {
  stop();
  resend_ = std::move(resend);
  capped_ = capped;
  if (!reliable) {
    schedule(sip::initial_retransmit_interval(settings_));
  }
  give_up_.start(sip::timeout_64_t1(settings_), [this, give_up = std::move(give_up)] {
    retransmit_.cancel();
    give_up();
  });
}

void ResponseRetransmitter::schedule(std::chrono::milliseconds interval) {
  retransmit_.start(interval, [this, interval] {
    resend_();
    schedule(capped_ ? sip::next_capped_interval(interval, settings_)
                     : sip::next_timer_a(interval));
  });
}

} // namespace starling::pbx
