// Tests of the token bucket that paces reading from a client.
#include <chrono>

#include <gtest/gtest.h>

#include "xmpp/server/read_throttle.h"

namespace starling::xmpp::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr ReadRate kTenPerSecond{.bytes_per_second = 10, .burst = 100};
const ReadThrottle::Clock::time_point kStart{seconds(1000)};

TEST(ReadThrottle, ReadsWithinTheBurstDoNotPause) {
  ReadThrottle throttle(kTenPerSecond, kStart);
  EXPECT_EQ(throttle.pause_after(60, kStart), ReadThrottle::Clock::duration::zero());
  EXPECT_EQ(throttle.pause_after(40, kStart), ReadThrottle::Clock::duration::zero());
  EXPECT_GT(throttle.pause_after(1, kStart), ReadThrottle::Clock::duration::zero());
}

TEST(ReadThrottle, PauseOverTheBurstIsTheDeficitOverTheRate) {
  ReadThrottle throttle(kTenPerSecond, kStart);
  EXPECT_EQ(throttle.pause_after(150, kStart), seconds(5));
  // Still 50 bytes short: 20 more make it 70, which take 7 s to earn back.
  EXPECT_EQ(throttle.pause_after(20, kStart), seconds(7));
}

TEST(ReadThrottle, AfterThePauseTheClientMayReadAgain) {
  ReadThrottle throttle(kTenPerSecond, kStart);
  const auto pause = throttle.pause_after(150, kStart);
  ASSERT_EQ(pause, seconds(5));
  EXPECT_EQ(throttle.pause_after(0, kStart + pause), ReadThrottle::Clock::duration::zero());
  EXPECT_EQ(throttle.pause_after(10, kStart + pause), seconds(1));
}

TEST(ReadThrottle, TokensRefillWithTime) {
  ReadThrottle throttle(kTenPerSecond, kStart);
  ASSERT_EQ(throttle.pause_after(100, kStart), ReadThrottle::Clock::duration::zero());
  // 3 s earn 30 bytes: 30 pass, the 31st waits a tenth of a second.
  EXPECT_EQ(throttle.pause_after(30, kStart + seconds(3)), ReadThrottle::Clock::duration::zero());
  EXPECT_EQ(throttle.pause_after(1, kStart + seconds(3)), milliseconds(100));
}

TEST(ReadThrottle, QuietSpellRefillsUpToTheBurstAndNoFurther) {
  ReadThrottle throttle(kTenPerSecond, kStart);
  ASSERT_EQ(throttle.pause_after(100, kStart), ReadThrottle::Clock::duration::zero());
  const auto later = kStart + std::chrono::hours(1); // would earn 36000 bytes unbounded
  EXPECT_EQ(throttle.pause_after(100, later), ReadThrottle::Clock::duration::zero());
  EXPECT_EQ(throttle.pause_after(10, later), seconds(1));
}

TEST(ReadThrottle, NewRateKeepsTheTokensTheClientHas) {
  ReadThrottle throttle(kRateBeforeAuth, kStart);
  ASSERT_EQ(throttle.pause_after(kRateBeforeAuth.burst, kStart),
            ReadThrottle::Clock::duration::zero());
  throttle.set_rate(kRateAuthenticated, kStart);
  // An empty bucket stays empty: the larger burst is earned at the new rate, not granted.
  EXPECT_EQ(throttle.pause_after(kRateAuthenticated.bytes_per_second, kStart), seconds(1));
}

TEST(ReadThrottle, OldRateAppliesUntilTheChangeAndTheNewOneAfter) {
  ReadThrottle throttle(kRateBeforeAuth, kStart);
  ASSERT_EQ(throttle.pause_after(kRateBeforeAuth.burst, kStart),
            ReadThrottle::Clock::duration::zero());
  throttle.set_rate(kRateAuthenticated, kStart + seconds(1)); // earned 16 KiB at the old rate
  const auto later = kStart + seconds(2);                     // and 1 MiB at the new one
  EXPECT_EQ(throttle.pause_after(
                kRateBeforeAuth.bytes_per_second + kRateAuthenticated.bytes_per_second, later),
            ReadThrottle::Clock::duration::zero());
  EXPECT_EQ(throttle.pause_after(kRateAuthenticated.bytes_per_second / 2, later),
            milliseconds(500));
}

} // namespace
} // namespace starling::xmpp::server
