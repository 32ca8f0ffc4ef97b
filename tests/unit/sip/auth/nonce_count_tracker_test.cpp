// Tests of nonce-count replay detection and of the tracker's memory bound.
#include <deque>
#include <string>

#include <gtest/gtest.h>

#include "sip/auth/nonce_count_tracker.h"

namespace starling::sip {
namespace {

using std::chrono::seconds;
using Verdict = NonceCountVerdict;

const core::Clock::TimePoint kT0{seconds{1000}};

TEST(NonceCountTracker, AcceptsIncreasingCounts) {
  NonceCountTracker tracker;
  EXPECT_EQ(tracker.use("n", kT0, 1), Verdict::accepted);
  EXPECT_EQ(tracker.use("n", kT0, 2), Verdict::accepted);
  EXPECT_EQ(tracker.use("n", kT0, 3), Verdict::accepted);
}

TEST(NonceCountTracker, RejectsAReplayedCount) {
  NonceCountTracker tracker;
  EXPECT_EQ(tracker.use("n", kT0, 1), Verdict::accepted);
  EXPECT_EQ(tracker.use("n", kT0, 1), Verdict::replayed);
  EXPECT_EQ(tracker.use("n", kT0, 2), Verdict::accepted);
  EXPECT_EQ(tracker.use("n", kT0, 1), Verdict::replayed);
  EXPECT_EQ(tracker.use("n", kT0, 2), Verdict::replayed);
}

TEST(NonceCountTracker, RejectsCountZero) {
  NonceCountTracker tracker;
  EXPECT_EQ(tracker.use("n", kT0, 0), Verdict::replayed);
}

TEST(NonceCountTracker, AcceptsReorderedCountsOnceWithinTheWindow) {
  NonceCountTracker tracker;
  EXPECT_EQ(tracker.use("n", kT0, 5), Verdict::accepted);
  EXPECT_EQ(tracker.use("n", kT0, 3), Verdict::accepted);
  EXPECT_EQ(tracker.use("n", kT0, 4), Verdict::accepted);
  EXPECT_EQ(tracker.use("n", kT0, 3), Verdict::replayed);
}

TEST(NonceCountTracker, RejectsCountsBelowTheWindow) {
  NonceCountTracker tracker;
  constexpr std::uint32_t kHighest = 100;
  EXPECT_EQ(tracker.use("n", kT0, 1), Verdict::accepted);
  EXPECT_EQ(tracker.use("n", kT0, kHighest), Verdict::accepted);
  // Never used, but too far below the highest count to be told from a replay.
  EXPECT_EQ(tracker.use("n", kT0, kHighest - kNonceCountWindow), Verdict::replayed);
  EXPECT_EQ(tracker.use("n", kT0, kHighest - kNonceCountWindow + 1), Verdict::accepted);
}

TEST(NonceCountTracker, KeepsNoncesApart) {
  NonceCountTracker tracker;
  EXPECT_EQ(tracker.use("a", kT0, 1), Verdict::accepted);
  EXPECT_EQ(tracker.use("b", kT0, 1), Verdict::accepted);
}

TEST(NonceCountTracker, EvictsTheOldestAtTheCapAndRefusesToGuessAboutIt) {
  NonceCountTracker tracker(2);
  EXPECT_EQ(tracker.use("a", kT0, 1), Verdict::accepted);
  EXPECT_EQ(tracker.use("b", kT0 + seconds{1}, 1), Verdict::accepted);
  EXPECT_EQ(tracker.use("c", kT0 + seconds{2}, 1), Verdict::accepted);
  EXPECT_EQ(tracker.size(), 2U);
  // "a" lost its history, so a replay of nc=1 cannot be told from a first use.
  EXPECT_EQ(tracker.use("a", kT0, 1), Verdict::forgotten);
  EXPECT_EQ(tracker.use("a", kT0, 2), Verdict::forgotten);
  EXPECT_EQ(tracker.use("c", kT0 + seconds{2}, 2), Verdict::accepted);
}

TEST(NonceCountTracker, ForgetsExpiredNoncesWithoutRefusingNewOnes) {
  NonceCountTracker tracker;
  EXPECT_EQ(tracker.use("a", kT0, 1), Verdict::accepted);
  EXPECT_EQ(tracker.use("b", kT0 + seconds{10}, 1), Verdict::accepted);
  tracker.forget_issued_before(kT0 + seconds{5});
  EXPECT_EQ(tracker.size(), 1U);
  EXPECT_EQ(tracker.use("c", kT0 + seconds{6}, 1), Verdict::accepted);
}

TEST(NonceCountTracker, FindsEveryLiveNonceThroughManyEvictionsAndExpiries) {
  constexpr std::size_t kCap = 8;
  NonceCountTracker tracker(kCap);
  std::deque<std::string> live; // oldest first, as the tracker keeps them
  for (int i = 0; i < 5000; ++i) {
    const auto issued = kT0 + seconds{i};
    if (i % 7 == 0) {
      tracker.forget_issued_before(issued - seconds{3}); // a few expire now and then
      while (!live.empty() && std::stoi(live.front()) < i - 3) {
        live.pop_front();
      }
    }
    const std::string nonce = std::to_string(i);
    ASSERT_EQ(tracker.use(nonce, issued, 1), Verdict::accepted) << i;
    live.push_back(nonce);
    if (live.size() > kCap) {
      live.pop_front();
    }
    ASSERT_EQ(tracker.size(), live.size()) << i;
    for (const auto& kept : live) { // all still there: a replay is caught
      ASSERT_EQ(tracker.use(kept, kT0 + seconds{std::stoi(kept)}, 1), Verdict::replayed) << kept;
    }
  }
}

} // namespace
} // namespace starling::sip
