#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "net/srv_order.h"

namespace starling::net {
namespace {

// Hands out the given numbers in turn (clamped to the upper bound asked for).
SrvRandom scripted(std::deque<std::uint32_t> numbers) {
  return [numbers = std::move(numbers)](std::uint32_t upper) mutable {
    const std::uint32_t next = numbers.empty() ? 0 : numbers.front();
    if (!numbers.empty()) {
      numbers.pop_front();
    }
    return std::min(next, upper);
  };
}

std::vector<std::string> targets(const std::vector<SrvRecord>& records) {
  std::vector<std::string> names;
  names.reserve(records.size());
  for (const auto& record : records) {
    names.push_back(record.target);
  }
  return names;
}

TEST(SrvOrder, TriesLowerPrioritiesFirst) {
  const std::vector<SrvRecord> records{
      {20, 0, 5060, "c.test"}, {10, 0, 5060, "a.test"}, {15, 0, 5060, "b.test"}};
  EXPECT_EQ(targets(order_srv_records(records, scripted({}))),
            (std::vector<std::string>{"a.test", "b.test", "c.test"}));
}

TEST(SrvOrder, PicksTheRecordWhoseRunningWeightSumFirstReachesTheDrawnNumber) {
  // Running sums 10, 30, 100: 15 picks b; then a and c (10, 80): 50 picks c; then a.
  const std::vector<SrvRecord> records{
      {10, 10, 5060, "a.test"}, {10, 20, 5060, "b.test"}, {10, 70, 5060, "c.test"}};
  EXPECT_EQ(targets(order_srv_records(records, scripted({15, 50, 0}))),
            (std::vector<std::string>{"b.test", "c.test", "a.test"}));
}

TEST(SrvOrder, PutsWeightZeroRecordsFirstBeforeDrawingSoADrawOfZeroPicksThem) {
  const std::vector<SrvRecord> records{{10, 5, 5060, "heavy.test"}, {10, 0, 5060, "zero.test"}};
  EXPECT_EQ(targets(order_srv_records(records, scripted({0, 0}))),
            (std::vector<std::string>{"zero.test", "heavy.test"}));
  EXPECT_EQ(targets(order_srv_records(records, scripted({5, 0}))),
            (std::vector<std::string>{"heavy.test", "zero.test"}));
}

TEST(SrvOrder, OrdersWeightsOnlyWithinOnePriority) {
  const std::vector<SrvRecord> records{{20, 90, 5060, "backup.test"},
                                       {10, 1, 5060, "primary1.test"},
                                       {10, 1, 5060, "primary2.test"}};
  const auto ordered = targets(order_srv_records(records, scripted({2, 1, 90})));
  EXPECT_EQ(ordered, (std::vector<std::string>{"primary2.test", "primary1.test", "backup.test"}));
}

TEST(SrvOrder, ChoosesFirstInProportionToWeight) {
  std::mt19937 engine(42); // NOLINT(cert-msc32-c,cert-msc51-cpp): a fixed seed, on purpose
  const SrvRandom random = [&engine](std::uint32_t upper) {
    return std::uniform_int_distribution<std::uint32_t>(0, upper)(engine);
  };
  const std::vector<SrvRecord> records{{10, 25, 5060, "light.test"}, {10, 75, 5060, "heavy.test"}};
  std::map<std::string, int> first;
  constexpr int kRounds = 4000;
  constexpr int kExpectedHeavy = 3000; // 75 %
  constexpr int kTolerance = 200;      // 5 %
  for (int round = 0; round < kRounds; ++round) {
    ++first[order_srv_records(records, random).front().target];
  }
  EXPECT_NEAR(first["heavy.test"], kExpectedHeavy, kTolerance);
}

TEST(SrvOrder, DropsTheRootTargetAndSaysTheServiceIsUnavailableWhenItIsAllThereIs) {
  const std::vector<SrvRecord> only_root{{0, 0, 0, "."}};
  EXPECT_TRUE(srv_service_unavailable(only_root));
  EXPECT_TRUE(order_srv_records(only_root, scripted({})).empty());
  const std::vector<SrvRecord> mixed{{0, 0, 0, "."}, {10, 0, 5060, "a.test"}};
  EXPECT_FALSE(srv_service_unavailable(mixed));
  EXPECT_EQ(targets(order_srv_records(mixed, scripted({}))), (std::vector<std::string>{"a.test"}));
  EXPECT_FALSE(srv_service_unavailable({}));
}

TEST(SrvOrder, KeepsEachRecordsPort) {
  const std::vector<SrvRecord> records{{10, 0, 5070, "a.test"}, {20, 0, 5080, "b.test"}};
  const auto ordered = order_srv_records(records, scripted({}));
  ASSERT_EQ(ordered.size(), 2U);
  EXPECT_EQ(ordered[0].port, 5070);
  EXPECT_EQ(ordered[1].port, 5080);
}

} // namespace
} // namespace starling::net
