// Tests of ReceivePacing: when the SIP UDP socket is read on readiness and when on a timer.
#include <chrono>

#include <gtest/gtest.h>

#include "sip/transport/detail/receive_pacing.h"

namespace starling::sip::detail {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr microseconds kWindow{1000};
const ReceivePacing::Clock::time_point kStart{std::chrono::seconds(100)};

TEST(ReceivePacing, ALoneDatagramIsFollowedByAWaitForTheNext) {
  ReceivePacing pacing(kWindow);
  EXPECT_FALSE(pacing.read_on_timer_after(kStart, 1));
  EXPECT_FALSE(pacing.read_on_timer_after(kStart + milliseconds(5), 1));
}

TEST(ReceivePacing, SeveralWaitingDatagramsSwitchToTheTimer) {
  ReceivePacing pacing(kWindow);
  EXPECT_TRUE(pacing.read_on_timer_after(kStart, 3));
}

TEST(ReceivePacing, AWakeUpWithinAWindowOfTheLastSwitchesToTheTimer) {
  ReceivePacing pacing(kWindow);
  EXPECT_FALSE(pacing.read_on_timer_after(kStart, 1));
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + microseconds(300), 1));
}

TEST(ReceivePacing, AWakeUpThatReadNothingDoesNotSwitch) {
  ReceivePacing pacing(kWindow);
  EXPECT_FALSE(pacing.read_on_timer_after(kStart, 1));
  EXPECT_FALSE(pacing.read_on_timer_after(kStart + microseconds(300), 0)); // room to send
}

TEST(ReceivePacing, StaysOnTheTimerWhileWindowsBringDatagrams) {
  ReceivePacing pacing(kWindow);
  ASSERT_TRUE(pacing.read_on_timer_after(kStart, 2));
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + kWindow, 1));
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + 2 * kWindow, 7));
}

TEST(ReceivePacing, AWindowThatBringsNothingReturnsToReadiness) {
  ReceivePacing pacing(kWindow);
  ASSERT_TRUE(pacing.read_on_timer_after(kStart, 2));
  EXPECT_FALSE(pacing.read_on_timer_after(kStart + kWindow, 0));
  // The next datagram, a while later, is answered and followed by a wait for the next one.
  EXPECT_FALSE(pacing.read_on_timer_after(kStart + milliseconds(50), 1));
}

TEST(ReceivePacing, AZeroWindowAlwaysWaitsForTheNextDatagram) {
  ReceivePacing pacing(microseconds::zero());
  EXPECT_FALSE(pacing.read_on_timer_after(kStart, 32));
  EXPECT_FALSE(pacing.read_on_timer_after(kStart + microseconds(1), 32));
}

} // namespace
} // namespace starling::sip::detail
