#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "store/sqlite/database.h"

namespace starling::store::sqlite {
namespace {

// SQLite's codes for PRAGMA synchronous.
constexpr std::int64_t kNormal = 1;
constexpr std::int64_t kFull = 2;

std::int64_t synchronous(Database& db) {
  auto pragma = db.prepare("PRAGMA synchronous");
  EXPECT_TRUE(pragma.step());
  return pragma.integer(0);
}

TEST(SqliteDatabase, CommitDurabilityHoldsUntilChangedAndUnsyncedCommitsSurviveReopening) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("starling-database-test-" + std::to_string(::getpid()) + ".db");
  {
    Database db(file);
    EXPECT_EQ(synchronous(db), kFull);
    db.commit_durability(Durability::process_crash);
    EXPECT_EQ(synchronous(db), kNormal);
    db.execute("CREATE TABLE t (x INTEGER)");
    db.execute("INSERT INTO t VALUES (1)");
    EXPECT_EQ(synchronous(db), kNormal);
    db.commit_durability(Durability::process_crash);
    EXPECT_EQ(synchronous(db), kNormal);
    db.commit_durability(Durability::power_loss);
    EXPECT_EQ(synchronous(db), kFull);
    db.execute("INSERT INTO t VALUES (2)");
  }
  Database reopened(file);
  auto count = reopened.prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.integer(0), 2);
  for (const auto* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(file.string() + suffix);
  }
}

} // namespace
} // namespace starling::store::sqlite
