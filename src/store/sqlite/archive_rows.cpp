// XMPP message archives: users' and rooms' tables, paged by row id in both directions.
#include "store/sqlite/archive_rows.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

namespace starling::store::sqlite::archive_rows {

namespace {

using Value = std::variant<std::int64_t, std::string>;

// Users' and rooms' archives are two tables of one shape, told apart by the column that
// names the owner.
struct Owner {
  std::string_view table;
  std::string_view column;
  Value value;
};

Owner owner_of(Id user, const std::string& room) {
  if (room.empty()) {
    return {"xmpp_archive", "user_id", user};
  }
  return {"xmpp_room_archive", "room", room};
}

// A WHERE clause built from the filters that are set, with its values in order.
class Conditions {
public:
  void add(std::string_view condition, Value value) {
    sql_ += sql_.empty() ? "WHERE " : " AND ";
    sql_ += condition;
    values_.push_back(std::move(value));
  }
  [[nodiscard]] const std::string& sql() const { return sql_; }
  [[nodiscard]] int size() const { return static_cast<int>(values_.size()); }
  void bind(Statement& statement) const {
    int index = 1;
    for (const auto& value : values_) {
      std::visit([&](const auto& v) { statement.bind(index++, v); }, value);
    }
  }

private:
  std::string sql_;
  std::vector<Value> values_;
};

// The row id of the message with this archive id in the owner's archive.
Id row_id(Database& db, const Owner& owner, std::string_view archive_id) {
  auto select = db.prepare(
      fmt::format("SELECT id FROM {} WHERE {} = ? AND archive_id = ?", owner.table, owner.column));
  std::visit([&](const auto& value) { select.bind(1, value); }, owner.value);
  select.bind(2, archive_id);
  if (!select.step()) {
    throw SqliteFailure(SQLITE_NOTFOUND, "no archived message with that id");
  }
  return select.integer(0);
}

Conditions filters(const Owner& owner, const ArchiveQuery& query) {
  Conditions conditions;
  conditions.add(fmt::format("{} = ?", owner.column), owner.value);
  if (!query.with.empty()) {
    conditions.add("with_jid = ?", query.with);
  }
  if (query.start) {
    conditions.add("stored_at >= ?", *query.start);
  }
  if (query.end) {
    conditions.add("stored_at <= ?", *query.end);
  }
  return conditions;
}

} // namespace

Id add(Database& db, const ArchivedMessage& message) {
  const auto owner = owner_of(message.user_id, message.room);
  auto insert =
      db.prepare(fmt::format("INSERT INTO {} (archive_id, {}, with_jid, stanza, stored_at) "
                             "VALUES (?, ?, ?, ?, ?)",
                             owner.table, owner.column));
  insert.bind(1, message.archive_id);
  std::visit([&](const auto& value) { insert.bind(2, value); }, owner.value);
  insert.bind(3, message.with_jid).bind(4, message.stanza).bind(5, message.stored_at).run();
  return db.last_insert_id();
}

ArchivePage query(Database& db, const ArchiveQuery& query) {
  ArchivePage page;
  const auto owner = owner_of(query.user, query.room);
  auto conditions = filters(owner, query);
  auto count = db.prepare(fmt::format("SELECT count(*) FROM {} {}", owner.table, conditions.sql()));
  conditions.bind(count);
  count.step();
  page.count = static_cast<std::size_t>(count.integer(0));

  if (query.after) {
    conditions.add("id > ?", row_id(db, owner, *query.after));
  }
  if (query.before && !query.before->empty()) {
    conditions.add("id < ?", row_id(db, owner, *query.before));
  }
  // XEP-0059 §2.5: with `before`, the page is the one just before it (or the last one), so
  // the rows are read newest first. One row more than asked says whether the page is the end.
  const bool backwards = query.before.has_value();
  auto select = db.prepare(fmt::format(
      "SELECT id, archive_id, with_jid, stanza, stored_at FROM {} {} ORDER BY id {} LIMIT ?",
      owner.table, conditions.sql(), backwards ? "DESC" : "ASC"));
  conditions.bind(select);
  select.bind(conditions.size() + 1, static_cast<std::int64_t>(query.limit) + 1);
  page.complete = true;
  while (select.step()) {
    if (page.messages.size() == query.limit) {
      page.complete = false; // the extra row: there is more beyond this page
      break;
    }
    page.messages.push_back({.id = select.integer(0),
                             .archive_id = select.text(1),
                             .user_id = query.user,
                             .room = query.room,
                             .with_jid = select.text(2),
                             .stanza = select.text(3),
                             .stored_at = select.integer(4)});
  }
  if (backwards) {
    std::ranges::reverse(page.messages);
  }
  return page;
}

std::size_t remove_before(Database& db, UnixTime cutoff) {
  std::size_t removed = 0;
  for (const std::string_view table : {"xmpp_archive", "xmpp_room_archive"}) {
    db.prepare(fmt::format("DELETE FROM {} WHERE stored_at < ?", table)).bind(1, cutoff).run();
    removed += static_cast<std::size_t>(db.changes());
  }
  return removed;
}

} // namespace starling::store::sqlite::archive_rows
