// The SQL of trunks, their numbers, outbound routes and trunk states.
#include "store/sqlite/trunk_rows.h"

#include <fmt/format.h>

#include "store/sqlite/word_list.h"
#include "store/trunk_state.h"

namespace starling::store::sqlite::trunk_rows {
namespace {

constexpr std::string_view kTrunkColumns =
    "id, name, kind, domain, outbound_proxy, transport, username, auth_username, password, "
    "from_user, expires, allowed_addresses, codecs, caller_id_format, identity, channels, "
    "unknown_did, enabled, created_at";
constexpr std::string_view kRouteColumns =
    "id, position, name, pattern, strip, prepend, e164, trunks";

std::uint32_t unsigned_column(const Statement& row, int column) {
  return static_cast<std::uint32_t>(row.integer(column));
}

Trunk read_trunk(Database& db, const Statement& row) {
  Trunk trunk{.id = row.integer(0),
              .name = row.text(1),
              .kind = kind_from_name(row.text(2)).value_or(TrunkKind::registration),
              .domain = row.text(3),
              .outbound_proxy = row.text(4),
              .transport = row.text(5),
              .username = row.text(6),
              .auth_username = row.text(7),
              .password = row.text(8),
              .from_user = row.text(9),
              .expires = unsigned_column(row, 10),
              .allowed_addresses = split_words(row.text(11)),
              .codecs = split_words(row.text(12)),
              .caller_id_format = row.text(13),
              .identity = row.text(14),
              .channels = unsigned_column(row, 15),
              .unknown_did = row.text(16),
              .enabled = row.integer(17) != 0,
              .numbers = {},
              .created_at = row.integer(18)};
  auto numbers =
      db.prepare("SELECT did, target FROM trunk_numbers WHERE trunk_id = ? ORDER BY did");
  numbers.bind(1, trunk.id);
  while (numbers.step()) {
    trunk.numbers.push_back({numbers.text(0), numbers.text(1)});
  }
  return trunk;
}

// Binds every column but id and created_at, in kTrunkColumns order from parameter 1.
void bind_trunk(Statement& statement, const Trunk& trunk) {
  statement.bind(1, trunk.name)
      .bind(2, kind_name(trunk.kind))
      .bind(3, trunk.domain)
      .bind(4, trunk.outbound_proxy)
      .bind(5, trunk.transport)
      .bind(6, trunk.username)
      .bind(7, trunk.auth_username)
      .bind(8, trunk.password)
      .bind(9, trunk.from_user)
      .bind(10, std::int64_t{trunk.expires})
      .bind(11, join_words(trunk.allowed_addresses))
      .bind(12, join_words(trunk.codecs))
      .bind(13, trunk.caller_id_format)
      .bind(14, trunk.identity)
      .bind(15, std::int64_t{trunk.channels})
      .bind(16, trunk.unknown_did)
      .bind(17, std::int64_t{trunk.enabled ? 1 : 0});
}

void write_numbers(Database& db, const Trunk& trunk) {
  db.prepare("DELETE FROM trunk_numbers WHERE trunk_id = ?").bind(1, trunk.id).run();
  auto insert = db.prepare("INSERT INTO trunk_numbers (trunk_id, did, target) VALUES (?, ?, ?)");
  for (const auto& number : trunk.numbers) {
    insert.bind(1, trunk.id).bind(2, number.did).bind(3, number.target).run();
    insert.reset();
  }
}

Trunk read_trunk_by_id(Database& db, Id id) {
  auto select = db.prepare(fmt::format("SELECT {} FROM trunks WHERE id = ?", kTrunkColumns));
  select.bind(1, id);
  if (!select.step()) {
    throw SqliteFailure(SQLITE_NOTFOUND, "no such trunk");
  }
  return read_trunk(db, select);
}

OutboundRoute read_route(const Statement& row) {
  return OutboundRoute{.id = row.integer(0),
                       .position = row.integer(1),
                       .name = row.text(2),
                       .pattern = row.text(3),
                       .strip = unsigned_column(row, 4),
                       .prepend = row.text(5),
                       .e164 = row.integer(6) != 0,
                       .trunks = split_words(row.text(7))};
}

void bind_route(Statement& statement, const OutboundRoute& route) {
  statement.bind(1, route.position)
      .bind(2, route.name)
      .bind(3, route.pattern)
      .bind(4, std::int64_t{route.strip})
      .bind(5, route.prepend)
      .bind(6, std::int64_t{route.e164 ? 1 : 0})
      .bind(7, join_words(route.trunks));
}

} // namespace

Trunk add(Database& db, const Trunk& trunk) {
  Transaction transaction(db);
  auto insert =
      db.prepare("INSERT INTO trunks (name, kind, domain, outbound_proxy, transport, username, "
                 "auth_username, password, from_user, expires, allowed_addresses, codecs, "
                 "caller_id_format, identity, channels, unknown_did, enabled) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_trunk(insert, trunk);
  insert.run();
  Trunk added = trunk;
  added.id = db.last_insert_id();
  write_numbers(db, added);
  added = read_trunk_by_id(db, added.id);
  transaction.commit();
  return added;
}

std::optional<Trunk> find(Database& db, std::string_view name) {
  auto select = db.prepare(fmt::format("SELECT {} FROM trunks WHERE name = ?", kTrunkColumns));
  select.bind(1, name);
  return select.step() ? std::optional(read_trunk(db, select)) : std::nullopt;
}

std::vector<Trunk> list(Database& db) {
  auto select = db.prepare(fmt::format("SELECT {} FROM trunks ORDER BY name", kTrunkColumns));
  std::vector<Trunk> trunks;
  while (select.step()) {
    trunks.push_back(read_trunk(db, select));
  }
  return trunks;
}

Trunk update(Database& db, const Trunk& trunk) {
  Transaction transaction(db);
  auto statement = db.prepare(
      "UPDATE trunks SET name = ?, kind = ?, domain = ?, outbound_proxy = ?, transport = ?, "
      "username = ?, auth_username = ?, password = ?, from_user = ?, expires = ?, "
      "allowed_addresses = ?, codecs = ?, caller_id_format = ?, identity = ?, channels = ?, "
      "unknown_did = ?, enabled = ? WHERE id = ?");
  bind_trunk(statement, trunk);
  statement.bind(18, trunk.id).run();
  db.expect_changed("trunk");
  write_numbers(db, trunk);
  Trunk updated = read_trunk_by_id(db, trunk.id);
  transaction.commit();
  return updated;
}

void remove(Database& db, Id trunk) {
  db.prepare("DELETE FROM trunks WHERE id = ?").bind(1, trunk).run();
  db.expect_changed("trunk");
}

OutboundRoute add_route(Database& db, const OutboundRoute& route) {
  auto insert = db.prepare(
      fmt::format("INSERT INTO outbound_routes (position, name, pattern, strip, prepend, e164, "
                  "trunks) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {}",
                  kRouteColumns));
  bind_route(insert, route);
  insert.step();
  return read_route(insert);
}

std::vector<OutboundRoute> list_routes(Database& db) {
  auto select = db.prepare(
      fmt::format("SELECT {} FROM outbound_routes ORDER BY position, id", kRouteColumns));
  std::vector<OutboundRoute> routes;
  while (select.step()) {
    routes.push_back(read_route(select));
  }
  return routes;
}

OutboundRoute update_route(Database& db, const OutboundRoute& route) {
  auto statement = db.prepare(fmt::format(
      "UPDATE outbound_routes SET position = ?, name = ?, pattern = ?, strip = ?, prepend = ?, "
      "e164 = ?, trunks = ? WHERE id = ? RETURNING {}",
      kRouteColumns));
  bind_route(statement, route);
  statement.bind(8, route.id);
  if (!statement.step()) {
    throw SqliteFailure(SQLITE_NOTFOUND, "no such outbound route");
  }
  return read_route(statement);
}

void remove_route(Database& db, Id route) {
  db.prepare("DELETE FROM outbound_routes WHERE id = ?").bind(1, route).run();
  db.expect_changed("outbound route");
}

void save_status(Database& db, const TrunkStatus& status) {
  db.prepare("INSERT OR REPLACE INTO trunk_status (trunk, state, reason, changed_at, expires_at) "
             "VALUES (?, ?, ?, ?, ?)")
      .bind(1, status.trunk)
      .bind(2, status.state)
      .bind(3, status.reason)
      .bind(4, status.changed_at)
      .bind(5, status.expires_at)
      .run();
}

std::vector<TrunkStatus> list_status(Database& db) {
  auto select = db.prepare(
      "SELECT trunk, state, reason, changed_at, expires_at FROM trunk_status ORDER BY trunk");
  std::vector<TrunkStatus> states;
  while (select.step()) {
    states.push_back(
        {select.text(0), select.text(1), select.text(2), select.integer(3), select.integer(4)});
  }
  return states;
}

} // namespace starling::store::sqlite::trunk_rows
