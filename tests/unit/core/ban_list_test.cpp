// Tests of the brute-force ban list: thresholds, expiry, reporting and memory bound.
#include <string>

#include <gtest/gtest.h>

#include "core/ban_list.h"

namespace starling::core {
namespace {

using std::chrono::seconds;

class BanListTest : public ::testing::Test {
protected:
  // Three failures within 60 s ban for 600 s, to keep the tests short.
  static BanPolicy policy() {
    BanPolicy p;
    p.max_failures = 3;
    p.window = seconds{60};
    p.ban_duration = seconds{600};
    return p;
  }

  bool fail(std::string_view source, int times) {
    bool newly_banned = false;
    for (int i = 0; i < times; ++i) {
      newly_banned = bans_.record_failure(source);
    }
    return newly_banned;
  }

  std::uint64_t counter(const std::string& name) { return metrics_.counter(name, "").value(); }

  core::ManualClock clock_;
  core::MetricsRegistry metrics_;
  BanList bans_{clock_, metrics_, "sip", policy()};
};

TEST_F(BanListTest, BansASourceAfterTooManyFailuresInTheWindow) {
  EXPECT_FALSE(fail("192.0.2.1", 2));
  EXPECT_FALSE(bans_.is_banned("192.0.2.1"));
  EXPECT_TRUE(bans_.record_failure("192.0.2.1"));
  EXPECT_TRUE(bans_.is_banned("192.0.2.1"));
  EXPECT_FALSE(bans_.is_banned("192.0.2.2"));
}

TEST_F(BanListTest, SaysWhetherAnySourceIsBannedUntilTheLastBanIsLifted) {
  EXPECT_FALSE(bans_.any_banned());
  fail("192.0.2.1", 3);
  EXPECT_TRUE(bans_.any_banned());
  clock_.advance(seconds{600});
  EXPECT_FALSE(bans_.is_banned("192.0.2.1"));
  EXPECT_FALSE(bans_.any_banned());
}

TEST_F(BanListTest, DoesNotBanFailuresSpreadBeyondTheWindow) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(bans_.record_failure("192.0.2.1"));
    clock_.advance(seconds{31});
  }
  EXPECT_FALSE(bans_.is_banned("192.0.2.1"));
}

TEST_F(BanListTest, LiftsTheBanAfterItsDuration) {
  fail("192.0.2.1", 3);
  clock_.advance(seconds{599});
  EXPECT_TRUE(bans_.is_banned("192.0.2.1"));
  clock_.advance(seconds{1});
  EXPECT_FALSE(bans_.is_banned("192.0.2.1"));
  EXPECT_EQ(metrics_.gauge("starling_sip_banned_sources", "").value(), 0);
}

TEST_F(BanListTest, ReportsABanOnlyOnce) {
  EXPECT_TRUE(fail("192.0.2.1", 3));
  EXPECT_FALSE(fail("192.0.2.1", 5));
  EXPECT_EQ(counter("starling_sip_bans_total"), 1U);
}

TEST_F(BanListTest, CountsFailuresBansAndBannedSources) {
  fail("192.0.2.1", 3);
  fail("2001:db8::1", 4);
  EXPECT_EQ(counter("starling_sip_auth_failures_total"), 7U);
  EXPECT_EQ(counter("starling_sip_bans_total"), 2U);
  EXPECT_EQ(metrics_.gauge("starling_sip_banned_sources", "").value(), 2);
}

TEST_F(BanListTest, SuccessResetsOnlyItsOwnSource) {
  fail("192.0.2.1", 2);
  fail("192.0.2.2", 2);
  bans_.record_success("192.0.2.1");
  EXPECT_FALSE(bans_.record_failure("192.0.2.1"));
  EXPECT_TRUE(bans_.record_failure("192.0.2.2"));
}

TEST_F(BanListTest, CountsAgainFromZeroAfterABanEnds) {
  fail("192.0.2.1", 3);
  clock_.advance(seconds{600});
  EXPECT_FALSE(fail("192.0.2.1", 2));
  EXPECT_TRUE(bans_.record_failure("192.0.2.1"));
}

TEST(BanListCap, ForgetsTheLeastRecentlyFailingSourceAtTheCap) {
  core::ManualClock clock;
  core::MetricsRegistry metrics;
  BanPolicy policy;
  policy.max_failures = 2;
  policy.max_tracked_sources = 2;
  BanList bans(clock, metrics, "sip", policy);
  EXPECT_FALSE(bans.record_failure("10.0.0.1"));
  EXPECT_FALSE(bans.record_failure("10.0.0.2"));
  EXPECT_FALSE(bans.record_failure("10.0.0.3")); // pushes out 10.0.0.1
  EXPECT_EQ(bans.tracked_count(), 2U);
  EXPECT_FALSE(bans.record_failure("10.0.0.1")); // counted from zero again
  EXPECT_TRUE(bans.record_failure("10.0.0.3"));
}

TEST(BanListCap, KeepsBansWhenASpoofedFloodFillsTheTrackedSources) {
  core::ManualClock clock;
  core::MetricsRegistry metrics;
  BanPolicy policy;
  policy.max_failures = 2;
  policy.max_tracked_sources = 4;
  BanList bans(clock, metrics, "sip", policy);
  EXPECT_FALSE(bans.record_failure("10.0.0.1"));
  EXPECT_TRUE(bans.record_failure("10.0.0.1"));
  for (int i = 0; i < 100; ++i) {
    (void)bans.record_failure("198.51.100." + std::to_string(i));
  }
  EXPECT_TRUE(bans.is_banned("10.0.0.1"));
  EXPECT_LE(bans.tracked_count(), 4U);
}

TEST(BanListCap, LiftsTheOldestBanWhenTheBanTableIsFull) {
  core::ManualClock clock;
  core::MetricsRegistry metrics;
  BanPolicy policy;
  policy.max_failures = 1;
  policy.max_banned_sources = 2;
  BanList bans(clock, metrics, "sip", policy);
  EXPECT_TRUE(bans.record_failure("10.0.0.1"));
  clock.advance(seconds{1});
  EXPECT_TRUE(bans.record_failure("10.0.0.2"));
  EXPECT_TRUE(bans.record_failure("10.0.0.3"));
  EXPECT_FALSE(bans.is_banned("10.0.0.1"));
  EXPECT_TRUE(bans.is_banned("10.0.0.2"));
  EXPECT_TRUE(bans.is_banned("10.0.0.3"));
  EXPECT_EQ(bans.banned_count(), 2U);
}

} // namespace
} // namespace starling::core
