// SIP timer values T1, T2, T4 and the transaction timers A–M derived from them (RFC 3261
// Table 4 / Appendix A, RFC 6026 §8.4 and §8.7).
#pragma once

#include <algorithm>
#include <chrono>

namespace starling::sip {

using Milliseconds = std::chrono::milliseconds;

// The base values are configurable because RFC 3261 §17.1.1.1 allows a larger T1 on
// high-latency links, and tests shrink or keep them as they need.
struct TimerSettings {
  Milliseconds t1{500};  // RTT estimate
  Milliseconds t2{4000}; // maximum retransmit interval for non-INVITE requests and INVITE responses
  Milliseconds t4{5000}; // maximum duration a message stays in the network
  // RFC 3261 §17.2.1: a server INVITE transaction sends 100 Trying unless the TU answers
  // within 200 ms.
  Milliseconds trying_delay{200};
};

// RFC 3261 §17.1.1.2: Timer D is "at least 32 seconds" for unreliable transports; it also
// covers the server's Timer H (64*T1) of final-response retransmissions when T1 is raised.
inline constexpr Milliseconds kTimerDMinimum{32000};

// Timer A, E and G start at T1 (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1).
constexpr Milliseconds initial_retransmit_interval(const TimerSettings& s) {
  return s.t1;
}
// Timer A doubles without bound; Timer B ends it first (RFC 3261 §17.1.1.2).
constexpr Milliseconds next_timer_a(Milliseconds current) {
  return 2 * current;
}
// Timer E and G double up to T2 (RFC 3261 §17.1.2.2, §17.2.1).
constexpr Milliseconds next_capped_interval(Milliseconds current, const TimerSettings& s) {
  return std::min(2 * current, s.t2);
}
// Timer B, F, H, J (unreliable) and RFC 6026's L and M: 64*T1.
constexpr Milliseconds timeout_64_t1(const TimerSettings& s) {
  return 64 * s.t1;
}
constexpr Milliseconds timer_b(const TimerSettings& s) {
  return timeout_64_t1(s);
}
constexpr Milliseconds timer_f(const TimerSettings& s) {
  return timeout_64_t1(s);
}
constexpr Milliseconds timer_h(const TimerSettings& s) {
  return timeout_64_t1(s);
}
// RFC 6026 §8.7 (server INVITE, Accepted) and §8.4 (client INVITE, Accepted).
constexpr Milliseconds timer_l(const TimerSettings& s) {
  return timeout_64_t1(s);
}
constexpr Milliseconds timer_m(const TimerSettings& s) {
  return timeout_64_t1(s);
}
// The wait-for-retransmissions timers are zero on reliable transports: nothing is
// retransmitted there, so the transaction ends at once.
constexpr Milliseconds timer_d(const TimerSettings& s, bool reliable) {
  return reliable ? Milliseconds{0} : std::max(kTimerDMinimum, timeout_64_t1(s));
}
constexpr Milliseconds timer_i(const TimerSettings& s, bool reliable) {
  return reliable ? Milliseconds{0} : s.t4;
}
constexpr Milliseconds timer_j(const TimerSettings& s, bool reliable) {
  return reliable ? Milliseconds{0} : timeout_64_t1(s);
}
constexpr Milliseconds timer_k(const TimerSettings& s, bool reliable) {
  return reliable ? Milliseconds{0} : s.t4;
}

} // namespace starling::sip
