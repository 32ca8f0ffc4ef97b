#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include "pbx/store_call_recorder.h"
#include "store/open_store.h"

namespace starling::pbx {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::milliseconds kQuickRetry{20};

class StoreCallRecorderTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-call-recorder-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    auto opened = store::open_store({}, data_dir_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  std::vector<store::CallLeg> saved_legs() {
    store::CallLegQuery all;
    all.limit = 1000;
    auto legs = store_->list_call_legs(all);
    EXPECT_TRUE(legs.has_value());
    return legs.value_or(std::vector<store::CallLeg>{});
  }

  // Makes the store fail (or work again) the way a broken database does, from outside.
  void hide_table(bool hidden) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open((data_dir_ / "starling.db").c_str(), &raw), SQLITE_OK);
    sqlite3_busy_timeout(raw, 5000); // the recorder may be between two attempts
    const char* sql = hidden ? "ALTER TABLE call_legs RENAME TO call_legs_hidden"
                             : "ALTER TABLE call_legs_hidden RENAME TO call_legs";
    EXPECT_EQ(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }

  std::uint64_t counter(const std::string& name) { return metrics_.counter(name, "").value(); }

  std::filesystem::path data_dir_;
  std::unique_ptr<store::Store> store_;
  core::MetricsRegistry metrics_;
};

store::CallLeg leg_in_state(const std::string& call_id, const std::string& leg,
                            const std::string& state) {
  store::CallLeg record;
  record.call_id = call_id;
  record.leg = leg;
  record.caller = "alice";
  record.callee = "201";
  record.started_at = 1000;
  record.state = state;
  if (state != "ringing") {
    record.answered_at = 1002;
  }
  if (state == "ended") {
    record.ended_at = 1060;
    record.hangup_cause = "normal";
    record.hangup_side = "callee";
  }
  return record;
}

bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

TEST_F(StoreCallRecorderTest, EveryLegIsSavedInItsLatestStateWhenTheRecorderStops) {
  {
    StoreCallRecorder recorder(*store_, metrics_);
    for (int call = 0; call < 50; ++call) {
      const auto id = "call-" + std::to_string(call);
      for (const auto* state : {"ringing", "connected", "held", "connected", "ended"}) {
        recorder.record(leg_in_state(id, "a", state));
        recorder.record(leg_in_state(id, "b1", state));
      }
    }
  } // the destructor writes what is queued
  const auto legs = saved_legs();
  ASSERT_EQ(legs.size(), 100U);
  for (const auto& leg : legs) {
    EXPECT_EQ(leg.state, "ended") << leg.call_id << " " << leg.leg;
    EXPECT_EQ(leg.ended_at, 1060);
  }
  EXPECT_EQ(counter("starling_call_records_write_failures_total"), 0U);
}

TEST_F(StoreCallRecorderTest, ALegReachesTheStoreWhileTheCallGoesOn) {
  StoreCallRecorder recorder(*store_, metrics_);
  recorder.record(leg_in_state("c1", "a", "ringing"));
  EXPECT_TRUE(eventually([&] { return saved_legs().size() == 1; }));
  recorder.record(leg_in_state("c1", "a", "connected"));
  EXPECT_TRUE(eventually([&] {
    const auto legs = saved_legs();
    return legs.size() == 1 && legs.front().state == "connected";
  }));
  EXPECT_EQ(recorder.backlog(), 0U);
}

TEST_F(StoreCallRecorderTest, AFailedWriteIsCountedAndRetriedWithoutLosingNewerChanges) {
  StoreCallRecorder recorder(*store_, metrics_, kQuickRetry);
  hide_table(true);
  recorder.record(leg_in_state("c1", "a", "ringing"));
  recorder.record(leg_in_state("c1", "b1", "ringing"));
  ASSERT_TRUE(
      eventually([&] { return counter("starling_call_records_write_failures_total") >= 2; }));
  recorder.record(leg_in_state("c1", "b1", "connected"));
  hide_table(false);

  ASSERT_TRUE(eventually([&] { return recorder.backlog() == 0 && saved_legs().size() == 2; }));
  for (const auto& leg : saved_legs()) {
    EXPECT_EQ(leg.state, leg.leg == "a" ? "ringing" : "connected")
        << "a retried change must not overwrite a newer one";
  }
  EXPECT_EQ(counter("starling_call_records_lost_total"), 0U);
}

TEST_F(StoreCallRecorderTest, ChangesTheStoreStillRefusesAtStopAreCountedAsLost) {
  {
    StoreCallRecorder recorder(*store_, metrics_, kQuickRetry);
    hide_table(true);
    recorder.record(leg_in_state("c1", "a", "ringing"));
    recorder.record(leg_in_state("c1", "a", "ended"));
  }
  EXPECT_EQ(counter("starling_call_records_lost_total"), 1U)
      << "two changes of one leg are one record";
  EXPECT_GE(counter("starling_call_records_write_failures_total"), 1U);
  hide_table(false);
  EXPECT_TRUE(saved_legs().empty());
}

} // namespace
} // namespace starling::pbx
