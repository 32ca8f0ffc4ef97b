// A thin RAII layer over the SQLite C API, used only inside the SQLite backend.
#include "store/sqlite/database.h"

#include <chrono>

#include <fmt/format.h>

namespace starling::store::sqlite {
namespace {

// Long enough for a CLI command to wait out a busy `serve`, short enough to report a
// stuck lock instead of hanging.
constexpr std::chrono::milliseconds kBusyTimeout{5000};

[[noreturn]] void fail(sqlite3* db, int code) {
  throw SqliteFailure(code, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code));
}

void bind_text(sqlite3* db, sqlite3_stmt* statement, int index, std::string_view text,
               sqlite3_destructor_type lifetime) {
  const int code =
      sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), lifetime);
  if (code != SQLITE_OK) {
    fail(db, code);
  }
}

} // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* raw = nullptr;
  const int code = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  statement_.reset(raw);
  if (code != SQLITE_OK) {
    fail(db, code);
  }
}

Statement& Statement::bind(int index, std::string_view text) {
  bind_text(db_, statement_.get(), index, text, SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_borrowed(int index, std::string_view text) {
  bind_text(db_, statement_.get(), index, text, SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t number) {
  const int code = sqlite3_bind_int64(statement_.get(), index, number);
  if (code != SQLITE_OK) {
    fail(db_, code);
  }
  return *this;
}

Statement& Statement::bind(int index, std::optional<std::int64_t> number) {
  if (number) {
    return bind(index, *number);
  }
  const int code = sqlite3_bind_null(statement_.get(), index);
  if (code != SQLITE_OK) {
    fail(db_, code);
  }
  return *this;
}

bool Statement::step() {
  const int code = sqlite3_step(statement_.get());
  if (code == SQLITE_ROW) {
    return true;
  }
  if (code == SQLITE_DONE) {
    return false;
  }
  // The extended code tells a UNIQUE violation from a FOREIGN KEY one.
  fail(db_, sqlite3_extended_errcode(db_));
}

void Statement::run() {
  while (step()) {
  }
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

std::string Statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(statement_.get(), column);
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column));
  return bytes == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(bytes), size);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

Database::Database(const std::filesystem::path& file) {
  sqlite3* raw = nullptr;
  // No mutex inside SQLite: the connection's owner (SqliteStore) serializes every use with
  // a lock of its own, so SQLite's lock around each call (33 per registration saved, for
  // binds, steps and resets) bought nothing.
  const int code =
      sqlite3_open_v2(file.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  db_.reset(raw);
  if (code != SQLITE_OK) {
    fail(raw, code);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, static_cast<int>(kBusyTimeout.count()));
  // WAL lets readers run beside the writer; synchronous=FULL makes every acknowledged
  // commit survive power loss, not just a crash of the process.
  execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
}

void Database::expect_changed(std::string_view what) const {
  if (changes() == 0) {
    throw SqliteFailure(SQLITE_NOTFOUND, fmt::format("no such {}", what));
  }
}

Statement& Database::reused(std::string_view sql) {
  auto found = reused_.find(sql);
  if (found == reused_.end()) {
    found = reused_.try_emplace(std::string(sql), db_.get(), sql).first;
  }
  found->second.reset(); // a run that threw may have left it mid-way
  return found->second;
}

void Database::execute(const std::string& sql) {
  char* error = nullptr;
  const int code = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &error);
  if (code != SQLITE_OK) {
    const std::string message = error != nullptr ? error : sqlite3_errstr(code);
    sqlite3_free(error);
    throw SqliteFailure(sqlite3_extended_errcode(db_.get()), message);
  }
}

void Database::commit_durability(Durability durability) {
  if (durability == durability_) {
    return; // SQLite compiles a pragma again on every run: only a change is worth one
  }
  execute(durability == Durability::power_loss ? "PRAGMA synchronous = FULL"
                                               : "PRAGMA synchronous = NORMAL");
  durability_ = durability;
}

Transaction::Transaction(Database& db) : db_(db) {
  // IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading.
  // Prepared once: parsing the statement again was a tenth of a small write's time.
  db_.reused("BEGIN IMMEDIATE").run();
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.execute("ROLLBACK");
    } catch (const SqliteFailure&) { // NOLINT(bugprone-empty-catch)
      // SQLite has already rolled back when the failure was an I/O error.
    }
  }
}

void Transaction::commit() {
  db_.reused("COMMIT").run();
  done_ = true;
}

} // namespace starling::store::sqlite
