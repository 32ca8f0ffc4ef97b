// A thin RAII layer over the SQLite C API, used only inside the SQLite backend.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "store/store.h"

namespace starling::store::sqlite {

// Every SQLite call can fail (disk full, locked, constraint); the backend throws this
// internally and converts it to a StoreError at the Store interface, so the SQL stays
// readable and no exception ever leaves the backend.
class SqliteFailure : public std::runtime_error {
public:
  SqliteFailure(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] int code() const { return code_; }

private:
  int code_;
};

class Statement {
public:
  Statement(sqlite3* db, std::string_view sql);

  Statement& bind(int index, std::string_view text);
  // Binds without SQLite's copy of the text, for a hot loop: `text` must stay alive and
  // unchanged until the statement has run and is reset.
  Statement& bind_borrowed(int index, std::string_view text);
  Statement& bind(int index, std::int64_t number);
  Statement& bind(int index, std::optional<std::int64_t> number);

  // Advances to the next row; false when there are no more.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  // Makes the statement ready to run again with new bindings.
  void reset() { sqlite3_reset(statement_.get()); }

  [[nodiscard]] std::int64_t integer(int column) const;
  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] bool is_null(int column) const;

private:
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalize> statement_;
};

class Database {
public:
  // Opens (creating if needed) with WAL, foreign keys, full sync and a busy timeout. One
  // thread at a time: the owner serializes every use of the connection and its statements.
  explicit Database(const std::filesystem::path& file);

  [[nodiscard]] Statement prepare(std::string_view sql) { return {db_.get(), sql}; }
  // The same, prepared once and kept for the connection's life, reset for new bindings: for
  // statements run on every registration, where preparing cost more than running.
  [[nodiscard]] Statement& reused(std::string_view sql);
  // Runs one or more statements that return no rows.
  void execute(const std::string& sql);
  [[nodiscard]] std::int64_t changes() const { return sqlite3_changes64(db_.get()); }
  // Throws an SqliteFailure with SQLITE_NOTFOUND ("no such <what>") when the last statement
  // changed nothing: the row to update or delete is not there. The store reports not_found.
  void expect_changed(std::string_view what) const;
  [[nodiscard]] std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_.get()); }

  // How far the following commits get before they return: power_loss waits for the disk
  // (synchronous=FULL, the default); process_crash does not (synchronous=NORMAL), which in
  // WAL mode survives a crash of the process, as the log is in the operating system's
  // hands, but not a power loss; the next synced commit or checkpoint writes it too.
  void commit_durability(Durability durability);

private:
  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, Close> db_;
  std::map<std::string, Statement, std::less<>> reused_; // by SQL; finalized before db_ closes
  Durability durability_ = Durability::power_loss;
};

// Commits on commit(); rolls back if destroyed before, e.g. when a statement threw.
class Transaction {
public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction(Transaction&&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  void commit();

private:
  Database& db_;
  bool done_ = false;
};

} // namespace starling::store::sqlite
