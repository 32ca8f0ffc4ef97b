// The numbered schema migrations of the SQLite backend, applied at start.
#include "store/sqlite/migrations.h"

#include <array>
#include <string_view>

#include <fmt/format.h>

namespace starling::store::sqlite {
namespace {

struct Migration {
  int version;
  std::string_view sql;
};

// Append only: a released migration is never edited, a change is a new migration.
constexpr std::array kMigrations = {
    Migration{1, R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name  TEXT NOT NULL DEFAULT '',
  role          TEXT NOT NULL CHECK (role IN ('admin', 'user')),
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE TABLE groups (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE group_members (
  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members(user_id);
CREATE TABLE extensions (
  number   TEXT PRIMARY KEY,
  user_id  INTEGER REFERENCES users(id) ON DELETE CASCADE,
  group_id INTEGER REFERENCES groups(id) ON DELETE CASCADE,
  CHECK ((user_id IS NULL) <> (group_id IS NULL))
);
CREATE INDEX extensions_by_user ON extensions(user_id);
CREATE INDEX extensions_by_group ON extensions(group_id);
CREATE TABLE devices (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  auth_name   TEXT NOT NULL UNIQUE,
  realm       TEXT NOT NULL,
  ha1_md5     TEXT NOT NULL,
  ha1_sha256  TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX devices_by_user ON devices(user_id);
)sql"},
    Migration{2, R"sql(
CREATE TABLE registrations (
  aor            TEXT NOT NULL,
  contact        TEXT NOT NULL,
  call_id        TEXT NOT NULL,
  cseq           INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  q              INTEGER NOT NULL,
  transport      TEXT NOT NULL,
  source_address TEXT NOT NULL,
  source_port    INTEGER NOT NULL,
  local_address  TEXT NOT NULL,
  local_port     INTEGER NOT NULL,
  path           TEXT NOT NULL,
  instance_id    TEXT NOT NULL,
  user_agent     TEXT NOT NULL,
  PRIMARY KEY (aor, contact)
) WITHOUT ROWID;
)sql"},
    // answered_at and ended_at are NULL until the leg is answered or ends, so a report can
    // ask for "ended_at IS NULL" rather than know a sentinel.
    Migration{3, R"sql(
CREATE TABLE call_legs (
  call_id      TEXT NOT NULL,
  leg          TEXT NOT NULL,
  caller       TEXT NOT NULL,
  callee       TEXT NOT NULL,
  device       TEXT NOT NULL,
  started_at   INTEGER NOT NULL,
  answered_at  INTEGER,
  ended_at     INTEGER,
  state        TEXT NOT NULL,
  hangup_cause TEXT NOT NULL,
  hangup_side  TEXT NOT NULL,
  PRIMARY KEY (call_id, leg)
) WITHOUT ROWID;
CREATE INDEX call_legs_by_start ON call_legs(started_at);
CREATE INDEX call_legs_by_end ON call_legs(ended_at);
)sql"},
};

int schema_version(Database& db) {
  auto statement = db.prepare("PRAGMA user_version");
  statement.step();
  return static_cast<int>(statement.integer(0));
}

} // namespace

void migrate(Database& db) {
  // One transaction for all steps: two processes starting together migrate once.
  Transaction transaction(db);
  const int current = schema_version(db);
  const int newest = kMigrations.back().version;
  if (current > newest) {
    throw SqliteFailure(SQLITE_MISMATCH,
                        fmt::format("the database has schema version {}, newer than the {} this "
                                    "starling knows; run a newer starling",
                                    current, newest));
  }
  for (const auto& migration : kMigrations) {
    if (migration.version > current) {
      db.execute(std::string(migration.sql));
      db.execute(fmt::format("PRAGMA user_version = {}", migration.version));
    }
  }
  transaction.commit();
}

} // namespace starling::store::sqlite
