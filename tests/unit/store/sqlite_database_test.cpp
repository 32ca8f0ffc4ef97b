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

TEST(SqliteDatabase, UnsyncedCommitsLastAsLongAsTheirScope) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("starling-database-test-" + std::to_string(::getpid()) + ".db");
  {
    Database db(file);
    EXPECT_EQ(synchronous(db), kFull);
    {
      const UnsyncedCommits unsynced(db);
      EXPECT_EQ(synchronous(db), kNormal);
      db.execute("CREATE TABLE t (x INTEGER)");
    }
    EXPECT_EQ(synchronous(db), kFull);
    db.execute("INSERT INTO t VALUES (1)");
  }
  Database reopened(file);
  auto count = reopened.prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.integer(0), 1);
  for (const auto* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(file.string() + suffix);
  }
}

} // namespace
} // namespace starling::store::sqlite
