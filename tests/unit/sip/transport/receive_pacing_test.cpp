// Tests of ReceivePacing: when the SIP UDP socket is read on readiness and when on a timer,
// and how long the timer waits.
#include <chrono>

#include <gtest/gtest.h>

#include "sip/transport/detail/receive_pacing.h"

namespace starling::sip::detail {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr microseconds kLongest{4000};
constexpr microseconds kFirst{1000}; // a quarter of the longest
const ReceivePacing::Clock::time_point kStart{std::chrono::seconds(100)};

TEST(ReceivePacing, ALoneDatagramIsFollowedByAWaitForTheNext) {
  ReceivePacing pacing(kLongest);
  EXPECT_FALSE(pacing.read_on_timer_after(kStart, 1));
  EXPECT_FALSE(pacing.read_on_timer_after(kStart + milliseconds(5), 1));
}

TEST(ReceivePacing, SeveralWaitingDatagramsSwitchToTheTimerWithTheFirstWindow) {
  ReceivePacing pacing(kLongest);
  EXPECT_TRUE(pacing.read_on_timer_after(kStart, 3));
  EXPECT_EQ(pacing.window(), kFirst);
}

TEST(ReceivePacing, AWakeUpWithinTheFirstWindowOfTheLastSwitchesToTheTimer) {
  ReceivePacing pacing(kLongest);
  EXPECT_FALSE(pacing.read_on_timer_after(kStart, 1));
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + microseconds(300), 1));
}

TEST(ReceivePacing, AWakeUpLaterThanTheFirstWindowDoesNotSwitch) {
  ReceivePacing pacing(kLongest);
  EXPECT_FALSE(pacing.read_on_timer_after(kStart, 1));
  EXPECT_FALSE(pacing.read_on_timer_after(kStart + microseconds(1500), 1));
}

TEST(ReceivePacing, AWakeUpThatReadNothingDoesNotSwitch) {
  ReceivePacing pacing(kLongest);
  EXPECT_FALSE(pacing.read_on_timer_after(kStart, 1));
  EXPECT_FALSE(pacing.read_on_timer_after(kStart + microseconds(300), 0)); // room to send
}

TEST(ReceivePacing, WindowsThatBringFewDatagramsDoubleUpToTheLongest) {
  ReceivePacing pacing(kLongest);
  ASSERT_TRUE(pacing.read_on_timer_after(kStart, 2));
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + milliseconds(1), 3));
  EXPECT_EQ(pacing.window(), 2 * kFirst);
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + milliseconds(3), 7));
  EXPECT_EQ(pacing.window(), kLongest);
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + milliseconds(7), 12));
  EXPECT_EQ(pacing.window(), kLongest);
}

TEST(ReceivePacing, AWindowThatBringsManyDatagramsHalves) {
  ReceivePacing pacing(kLongest);
  ASSERT_TRUE(pacing.read_on_timer_after(kStart, 2));
  ASSERT_TRUE(pacing.read_on_timer_after(kStart + milliseconds(1), 3));
  ASSERT_TRUE(pacing.read_on_timer_after(kStart + milliseconds(3), 7));
  ASSERT_EQ(pacing.window(), kLongest);
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + milliseconds(7), 200));
  EXPECT_EQ(pacing.window(), 2 * kFirst);
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + milliseconds(9), 100)); // about right
  EXPECT_EQ(pacing.window(), 2 * kFirst);
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + milliseconds(11), 300));
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + milliseconds(12), 300));
  EXPECT_EQ(pacing.window(), kFirst); // never shorter than the first
}

TEST(ReceivePacing, AWindowThatBringsNothingReturnsToReadiness) {
  ReceivePacing pacing(kLongest);
  ASSERT_TRUE(pacing.read_on_timer_after(kStart, 2));
  EXPECT_FALSE(pacing.read_on_timer_after(kStart + kFirst, 0));
  // The next datagram, a while later, is answered and followed by a wait for the next one.
  EXPECT_FALSE(pacing.read_on_timer_after(kStart + milliseconds(50), 1));
}

TEST(ReceivePacing, ANewBurstBeginsWithTheFirstWindow) {
  ReceivePacing pacing(kLongest);
  ASSERT_TRUE(pacing.read_on_timer_after(kStart, 2));
  ASSERT_TRUE(pacing.read_on_timer_after(kStart + milliseconds(1), 3));
  ASSERT_FALSE(pacing.read_on_timer_after(kStart + milliseconds(3), 0));
  EXPECT_TRUE(pacing.read_on_timer_after(kStart + milliseconds(50), 5));
  EXPECT_EQ(pacing.window(), kFirst);
}

TEST(ReceivePacing, AZeroWindowAlwaysWaitsForTheNextDatagram) {
  ReceivePacing pacing(microseconds::zero());
  EXPECT_FALSE(pacing.read_on_timer_after(kStart, 32));
  EXPECT_FALSE(pacing.read_on_timer_after(kStart + microseconds(1), 32));
}

} // namespace
} // namespace starling::sip::detail
