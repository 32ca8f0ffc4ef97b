#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "temp_store_test.h"

namespace starling::store {
namespace {

class SqliteCallLegsTest : public TempStoreTest {
protected:
  std::vector<CallLeg> list(CallLegQuery query = {}) {
    auto legs = store_->list_call_legs(query);
    EXPECT_TRUE(legs.has_value()) << (legs ? "" : legs.error().message);
    return legs.value_or(std::vector<CallLeg>{});
  }
};

CallLeg ringing(const std::string& call_id, const std::string& leg, UnixTime started_at) {
  CallLeg ringing;
  ringing.call_id = call_id;
  ringing.leg = leg;
  ringing.caller = "alice";
  ringing.callee = "201";
  ringing.device = leg == "a" ? "alice" : "bob-desk";
  ringing.started_at = started_at;
  ringing.state = "ringing";
  return ringing;
}

CallLegQuery newest(std::size_t limit) {
  CallLegQuery query;
  query.limit = limit;
  return query;
}

CallLegQuery active_only() {
  CallLegQuery query;
  query.active_only = true;
  return query;
}

CallLeg ended(CallLeg leg, UnixTime answered_at, UnixTime ended_at, const std::string& cause,
              const std::string& side) {
  leg.answered_at = answered_at;
  leg.ended_at = ended_at;
  leg.state = "ended";
  leg.hangup_cause = cause;
  leg.hangup_side = side;
  return leg;
}

TEST_F(SqliteCallLegsTest, LaterStatesOfALegReplaceEarlierOnesAndSurviveReopening) {
  const std::vector<CallLeg> ringing_legs = {ringing("c1", "a", 1000), ringing("c1", "b1", 1001)};
  ASSERT_TRUE(store_->save_call_legs(ringing_legs));
  const std::vector<CallLeg> ended_legs = {
      ended(ringing("c1", "a", 1000), 1005, 1065, "normal", "caller"),
      ended(ringing("c1", "b1", 1001), 1005, 1065, "normal", "caller")};
  ASSERT_TRUE(store_->save_call_legs(ended_legs));
  store_.reset();
  store_ = open();

  const auto legs = list();
  ASSERT_EQ(legs.size(), 2U);
  const auto& b1 = legs.front(); // started a second later, so newer
  EXPECT_EQ(b1.call_id, "c1");
  EXPECT_EQ(b1.leg, "b1");
  EXPECT_EQ(b1.caller, "alice");
  EXPECT_EQ(b1.callee, "201");
  EXPECT_EQ(b1.device, "bob-desk");
  EXPECT_EQ(b1.started_at, 1001);
  EXPECT_EQ(b1.answered_at, 1005);
  EXPECT_EQ(b1.ended_at, 1065);
  EXPECT_EQ(b1.state, "ended");
  EXPECT_EQ(b1.hangup_cause, "normal");
  EXPECT_EQ(b1.hangup_side, "caller");
  EXPECT_EQ(legs.back().leg, "a");
}

TEST_F(SqliteCallLegsTest, TheLastUpdateOfALegInOneBatchWins) {
  auto connected = ringing("c1", "a", 1000);
  connected.state = "connected";
  connected.answered_at = 1003;
  const std::vector<CallLeg> batch = {ringing("c1", "a", 1000), connected};
  ASSERT_TRUE(store_->save_call_legs(batch));
  const auto legs = list();
  ASSERT_EQ(legs.size(), 1U);
  EXPECT_EQ(legs.front().state, "connected");
  EXPECT_EQ(legs.front().answered_at, 1003);
  EXPECT_EQ(legs.front().ended_at, 0) << "an active leg has no end";
}

TEST_F(SqliteCallLegsTest, ListsNewestFirstUpToTheLimit) {
  std::vector<CallLeg> legs;
  for (int i = 0; i < 10; ++i) {
    legs.push_back(ringing("c" + std::to_string(i), "a", 1000 + i));
  }
  ASSERT_TRUE(store_->save_call_legs(legs));
  const auto first = list(newest(3));
  ASSERT_EQ(first.size(), 3U);
  EXPECT_EQ(first[0].call_id, "c9");
  EXPECT_EQ(first[1].call_id, "c8");
  EXPECT_EQ(first[2].call_id, "c7");
  EXPECT_EQ(list(newest(100)).size(), 10U);
  EXPECT_TRUE(list(newest(0)).empty());
}

TEST_F(SqliteCallLegsTest, ActiveOnlyLeavesOutEndedLegs) {
  const std::vector<CallLeg> legs = {
      ended(ringing("c1", "a", 1000), 0, 1030, "no_answer", "system"), ringing("c2", "a", 900)};
  ASSERT_TRUE(store_->save_call_legs(legs));
  const auto active = list(active_only());
  ASSERT_EQ(active.size(), 1U);
  EXPECT_EQ(active.front().call_id, "c2");
  EXPECT_EQ(list().size(), 2U);
}

TEST_F(SqliteCallLegsTest, EndingActiveLegsAtStartEndsOnlyThoseAsTheSystem) {
  auto connected = ringing("c2", "a", 2000);
  connected.state = "connected";
  connected.answered_at = 2010;
  const std::vector<CallLeg> legs = {
      ended(ringing("c1", "a", 1000), 1002, 1030, "normal", "callee"), ringing("c2", "b1", 2000),
      connected};
  ASSERT_TRUE(store_->save_call_legs(legs));

  const auto count = store_->end_active_call_legs(3000, "server_stopped");
  ASSERT_TRUE(count.has_value());
  EXPECT_EQ(*count, 2U);
  EXPECT_TRUE(list(active_only()).empty());
  for (const auto& leg : list()) {
    if (leg.call_id == "c1") {
      EXPECT_EQ(leg.ended_at, 1030) << "an ended leg is left as it was";
      EXPECT_EQ(leg.hangup_cause, "normal");
      continue;
    }
    EXPECT_EQ(leg.ended_at, 3000);
    EXPECT_EQ(leg.state, "ended");
    EXPECT_EQ(leg.hangup_cause, "server_stopped");
    EXPECT_EQ(leg.hangup_side, "system");
  }
  EXPECT_EQ(*store_->end_active_call_legs(3100, "server_stopped"), 0U);
}

TEST_F(SqliteCallLegsTest, AClockSteppedBackNeverEndsALegBeforeItWasAnswered) {
  auto connected = ringing("c1", "a", 2000);
  connected.state = "connected";
  connected.answered_at = 2010;
  ASSERT_TRUE(store_->save_call_legs(std::span(&connected, 1)));
  ASSERT_TRUE(store_->end_active_call_legs(1500, "server_stopped"));
  EXPECT_EQ(list().front().ended_at, 2010);
}

TEST_F(SqliteCallLegsTest, ADatabaseFromBeforeCallRecordsGainsThemAndKeepsItsRows) {
  ASSERT_TRUE(store_->add_user({"alice", "", Role::user, "x"}));
  store_.reset();
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir_ / "starling.db").c_str(), &raw), SQLITE_OK);
  // The tables and triggers of later migrations go too: the database is as version 2 left it.
  std::string undo_later_migrations =
      "DROP TABLE call_legs; DROP TABLE api_tokens; DROP TABLE contact_numbers; "
      "DROP TABLE contacts; DROP TABLE directory_revision; DROP TABLE trunk_numbers; "
      "DROP TABLE trunks; DROP TABLE outbound_routes; DROP TABLE trunk_status; "
      "DROP TABLE xmpp_offline_messages; DROP TABLE xmpp_archive; DROP TABLE xmpp_rooms; "
      "DROP TABLE xmpp_user_data; DROP TABLE xmpp_room_archive; "
      "DROP TABLE xmpp_room_affiliations; "
      "PRAGMA user_version = 2;";
  sqlite3_stmt* triggers = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT name FROM sqlite_master WHERE type = 'trigger'", -1,
                               &triggers, nullptr),
            SQLITE_OK);
  while (sqlite3_step(triggers) == SQLITE_ROW) {
    undo_later_migrations += std::string("DROP TRIGGER IF EXISTS ") +
                             reinterpret_cast<const char*>(sqlite3_column_text(triggers, 0)) + ";";
  }
  sqlite3_finalize(triggers);
  // Once no trigger names a dropped table, SQLite lets a column go.
  undo_later_migrations += "ALTER TABLE users DROP COLUMN call_class; "
                           "ALTER TABLE users DROP COLUMN scram_sha1; "
                           "ALTER TABLE users DROP COLUMN scram_sha256;";
  ASSERT_EQ(sqlite3_exec(raw, undo_later_migrations.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);

  store_ = open();
  ASSERT_NE(store_, nullptr);
  EXPECT_TRUE(store_->find_user("alice")->has_value());
  const auto leg = ringing("c1", "a", 1000);
  ASSERT_TRUE(store_->save_call_legs(std::span(&leg, 1)));
  EXPECT_EQ(list().size(), 1U);
}

} // namespace
} // namespace starling::store
