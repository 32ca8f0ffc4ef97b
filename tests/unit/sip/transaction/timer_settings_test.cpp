// Tests of the RFC 3261 Table 4 timer values derived from T1, T2 and T4.
#include <gtest/gtest.h>

#include "sip/transaction/timer_settings.h"

namespace starling::sip {
namespace {

using Ms = std::chrono::milliseconds;

TEST(TimerSettings, DefaultsAreTheRfcValues) {
  const TimerSettings s;
  EXPECT_EQ(s.t1, Ms{500});
  EXPECT_EQ(s.t2, Ms{4000});
  EXPECT_EQ(s.t4, Ms{5000});
  EXPECT_EQ(s.trying_delay, Ms{200});
}

TEST(TimerSettings, TimeoutTimersAre64TimesT1) {
  const TimerSettings s;
  for (const Ms value :
       {timer_b(s), timer_f(s), timer_h(s), timer_l(s), timer_m(s), timer_j(s, false)}) {
    EXPECT_EQ(value, Ms{32000});
  }
}

TEST(TimerSettings, WaitTimersAreZeroOnReliableTransports) {
  const TimerSettings s;
  EXPECT_EQ(timer_d(s, false), Ms{32000});
  EXPECT_EQ(timer_i(s, false), Ms{5000});
  EXPECT_EQ(timer_k(s, false), Ms{5000});
  for (const Ms value : {timer_d(s, true), timer_i(s, true), timer_j(s, true), timer_k(s, true)}) {
    EXPECT_EQ(value, Ms{0});
  }
}

TimerSettings with_t1(Ms t1) {
  TimerSettings s;
  s.t1 = t1;
  return s;
}

TEST(TimerSettings, TimerDStaysAtLeast32SecondsAndCoversTimerHForLargerT1) {
  EXPECT_EQ(timer_d(with_t1(Ms{100}), false), Ms{32000});
  EXPECT_EQ(timer_d(with_t1(Ms{1000}), false), Ms{64000});
}

TEST(TimerSettings, RetransmitIntervalsFollowTheRfc) {
  const TimerSettings s;
  EXPECT_EQ(initial_retransmit_interval(s), Ms{500});
  EXPECT_EQ(next_timer_a(Ms{8000}), Ms{16000}); // Timer A is not capped
  EXPECT_EQ(next_capped_interval(Ms{1000}, s), Ms{2000});
  EXPECT_EQ(next_capped_interval(Ms{2000}, s), Ms{4000});
  EXPECT_EQ(next_capped_interval(Ms{4000}, s), Ms{4000}); // E and G stop at T2
}

TEST(TimerSettings, ConfiguredT1ScalesTheDerivedTimers) {
  const TimerSettings s{.t1 = Ms{250}, .t2 = Ms{2000}, .t4 = Ms{3000}, .trying_delay = Ms{200}};
  EXPECT_EQ(timer_b(s), Ms{16000});
  EXPECT_EQ(timer_k(s, false), Ms{3000});
  EXPECT_EQ(next_capped_interval(Ms{1500}, s), Ms{2000});
}

} // namespace
} // namespace starling::sip
