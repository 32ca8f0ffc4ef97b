// Searching call records in the SQLite store: by number, time and party, whole calls only.
#include <algorithm>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>
#include <unistd.h>

#include "store/open_store.h"

namespace starling::store {
namespace {

CallLeg leg(const std::string& call_id, const std::string& name, const std::string& caller,
            const std::string& callee, const std::string& device, UnixTime started_at) {
  CallLeg leg;
  leg.call_id = call_id;
  leg.leg = name;
  leg.caller = caller;
  leg.callee = callee;
  leg.device = device;
  leg.started_at = started_at;
  leg.state = "ringing";
  return leg;
}

class SqliteCallSearchTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-call-search-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    auto opened = open_store({}, data_dir_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
    // c1: alice calls 201 (bob's desk answers); c2: bob calls Carol by name; c3: carol calls
    // +41 44 555 (a b leg that starts after c3's own start).
    const std::vector<CallLeg> legs = {
        leg("c1", "a", "alice", "201", "alice", 1000),
        leg("c1", "b1", "alice", "201", "bob-desk", 1001),
        leg("c1", "b2", "alice", "201", "bob-mobile", 1001),
        leg("c2", "a", "bob-desk", "Carol", "bob-desk", 2000),
        leg("c2", "b1", "bob-desk", "Carol", "carol", 2001),
        leg("c3", "a", "carol", "+41 44 555", "carol", 2999),
        leg("c3", "b1", "carol", "+41 44 555", "trunk", 3000),
    };
    ASSERT_TRUE(store_->save_call_legs(legs));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  // The call ids the query lists, and checks each comes with all its legs.
  std::set<std::string> calls(CallLegQuery query) {
    query.limit = 100;
    const auto legs = store_->list_call_legs(query);
    EXPECT_TRUE(legs.has_value()) << (legs ? "" : legs.error().message);
    std::set<std::string> ids;
    for (const auto& found : legs.value_or(std::vector<CallLeg>{})) {
      ids.insert(found.call_id);
    }
    for (const auto& id : ids) {
      const auto count = std::ranges::count(*legs, id, &CallLeg::call_id);
      EXPECT_EQ(count, id == "c1" ? 3 : 2) << "every leg of " << id;
    }
    return ids;
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<Store> store_;
};

using Ids = std::set<std::string>;

TEST_F(SqliteCallSearchTest, ANumberMatchesPartOfTheCallerOrCalleeIgnoringCase) {
  CallLegQuery query;
  query.number = "20";
  EXPECT_EQ(calls(query), Ids({"c1"}));
  query.number = "carol";
  EXPECT_EQ(calls(query), Ids({"c2", "c3"}));
  query.number = "44 555";
  EXPECT_EQ(calls(query), Ids({"c3"}));
  query.number = "%";
  EXPECT_EQ(calls(query), Ids()) << "no wildcards";
}

TEST_F(SqliteCallSearchTest, SinceAndUntilSelectCallsByWhenTheyStarted) {
  CallLegQuery query;
  query.since = 2000;
  EXPECT_EQ(calls(query), Ids({"c2", "c3"}));
  query.until = 2999;
  EXPECT_EQ(calls(query), Ids({"c2"})) << "until is exclusive";
  query.since = 3000;
  query.until = 0;
  EXPECT_EQ(calls(query), Ids()) << "a call started before, even if a leg started later";
}

TEST_F(SqliteCallSearchTest, PartiesSelectCallsWithThemAsCallerCalleeOrDevice) {
  CallLegQuery query;
  query.parties = std::vector<std::string>{"bob", "bob-desk", "202"};
  EXPECT_EQ(calls(query), Ids({"c1", "c2"}));
  query.parties = std::vector<std::string>{"201"};
  EXPECT_EQ(calls(query), Ids({"c1"}));
  query.parties = std::vector<std::string>{};
  EXPECT_EQ(calls(query), Ids()) << "nobody's calls";
  query.parties.reset();
  EXPECT_EQ(calls(query), Ids({"c1", "c2", "c3"}));
}

TEST_F(SqliteCallSearchTest, FiltersCombine) {
  CallLegQuery query;
  query.parties = std::vector<std::string>{"carol"};
  query.number = "bob";
  query.until = 2500;
  EXPECT_EQ(calls(query), Ids({"c2"}));
}

TEST_F(SqliteCallSearchTest, ActiveOnlyKeepsTheActiveLegsOfMatchingCalls) {
  auto ended = leg("c1", "b2", "alice", "201", "bob-mobile", 1001);
  ended.ended_at = 1005;
  ended.state = "ended";
  ended.hangup_cause = "answered_elsewhere";
  ASSERT_TRUE(store_->save_call_legs(std::span(&ended, 1)));
  CallLegQuery query;
  query.active_only = true;
  query.number = "201";
  const auto legs = store_->list_call_legs(query);
  ASSERT_TRUE(legs.has_value());
  EXPECT_EQ(legs->size(), 2U);
  EXPECT_TRUE(std::ranges::none_of(*legs, [](const CallLeg& found) { return found.leg == "b2"; }));
}

} // namespace
} // namespace starling::store
