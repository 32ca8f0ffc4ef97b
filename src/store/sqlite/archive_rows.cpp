// XMPP message archives: one table, paged by row id in both directions.
#include "store/sqlite/archive_rows.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

namespace starling::store::sqlite::archive_rows {

namespace {

constexpr std::string_view kColumns = "id, archive_id, user_id, with_jid, stanza, stored_at";

// A WHERE clause built from the filters that are set, with its values in order.
class Conditions {
public:
  void add(std::string_view condition, std::variant<std::int64_t, std::string> value) {
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
  std::vector<std::variant<std::int64_t, std::string>> values_;
};

// The row id of the message with this archive id in the user's archive.
Id row_id(Database& db, Id user, std::string_view archive_id) {
  auto select = db.prepare("SELECT id FROM xmpp_archive WHERE user_id = ? AND archive_id = ?");
  select.bind(1, user).bind(2, archive_id);
  if (!select.step()) {
    throw SqliteFailure(SQLITE_NOTFOUND, "no archived message with that id");
  }
  return select.integer(0);
}

Conditions filters(const ArchiveQuery& query) {
  Conditions conditions;
  conditions.add("user_id = ?", query.user);
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
  db.prepare("INSERT INTO xmpp_archive (archive_id, user_id, with_jid, stanza, stored_at) "
             "VALUES (?, ?, ?, ?, ?)")
      .bind(1, message.archive_id)
      .bind(2, message.user_id)
      .bind(3, message.with_jid)
      .bind(4, message.stanza)
      .bind(5, message.stored_at)
      .run();
  return db.last_insert_id();
}

ArchivePage query(Database& db, const ArchiveQuery& query) {
  ArchivePage page;
  auto conditions = filters(query);
  auto count = db.prepare("SELECT count(*) FROM xmpp_archive " + conditions.sql());
  conditions.bind(count);
  count.step();
  page.count = static_cast<std::size_t>(count.integer(0));

  if (query.after) {
    conditions.add("id > ?", row_id(db, query.user, *query.after));
  }
  if (query.before && !query.before->empty()) {
    conditions.add("id < ?", row_id(db, query.user, *query.before));
  }
  // XEP-0059 §2.5: with `before`, the page is the one just before it (or the last one), so
  // the rows are read newest first. One row more than asked says whether the page is the end.
  const bool backwards = query.before.has_value();
  auto select = db.prepare(fmt::format("SELECT {} FROM xmpp_archive {} ORDER BY id {} LIMIT ?",
                                       kColumns, conditions.sql(), backwards ? "DESC" : "ASC"));
  conditions.bind(select);
  select.bind(conditions.size() + 1, static_cast<std::int64_t>(query.limit) + 1);
  page.complete = true;
  while (select.step()) {
    if (page.messages.size() == query.limit) {
      page.complete = false; // the extra row: there is more beyond this page
      break;
    }
    page.messages.push_back({select.integer(0), select.text(1), select.integer(2), select.text(3),
                             select.text(4), select.integer(5)});
  }
  if (backwards) {
    std::ranges::reverse(page.messages);
  }
  return page;
}

std::size_t remove_before(Database& db, UnixTime cutoff) {
  db.prepare("DELETE FROM xmpp_archive WHERE stored_at < ?").bind(1, cutoff).run();
  return static_cast<std::size_t>(db.changes());
}

} // namespace starling::store::sqlite::archive_rows
