#include <gtest/gtest.h>

#include "sip/registrar/disk_sync_schedule.h"

namespace starling::sip {
namespace {

using namespace std::chrono_literals;
using store::Durability;

TEST(DiskSyncSchedule, TheFirstSaveSyncsThenOneAnIntervalAfterTheLastSync) {
  DiskSyncSchedule schedule(1s);
  const DiskSyncSchedule::TimePoint start{};
  EXPECT_EQ(schedule.durability_at(start), Durability::power_loss);
  schedule.synced(start);
  EXPECT_EQ(schedule.durability_at(start + 50ms), Durability::process_crash);
  EXPECT_EQ(schedule.durability_at(start + 999ms), Durability::process_crash);
  EXPECT_EQ(schedule.durability_at(start + 1s), Durability::power_loss);
}

// A sync that failed does not count: the next batch asks for one again.
TEST(DiskSyncSchedule, OnlyASuccessfulSyncRestartsTheInterval) {
  DiskSyncSchedule schedule(1s);
  const DiskSyncSchedule::TimePoint start{};
  schedule.synced(start);
  EXPECT_EQ(schedule.durability_at(start + 1200ms), Durability::power_loss);
  EXPECT_EQ(schedule.durability_at(start + 1250ms), Durability::power_loss);
  schedule.synced(start + 1250ms);
  EXPECT_EQ(schedule.durability_at(start + 1300ms), Durability::process_crash);
}

} // namespace
} // namespace starling::sip
