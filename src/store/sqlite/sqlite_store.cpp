// The embedded default backend: one SQLite database file in WAL mode.
#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <variant>

#include <fmt/format.h>

#include "store/sqlite/archive_rows.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/room_rows.h"
#include "store/sqlite/trunk_rows.h"
#include "store/sqlite/word_list.h"

namespace starling::store::sqlite {
namespace {

// A private result code marks "nothing matched", which SQLite itself never reports.
constexpr int kNotFound = SQLITE_NOTFOUND;

constexpr std::string_view kUserColumns =
    "id, name, display_name, role, password_hash, scram_sha1, scram_sha256, created_at, "
    "call_class";
constexpr std::string_view kDeviceColumns =
    "d.id, d.user_id, u.name, d.auth_name, d.realm, d.ha1_md5, d.ha1_sha256, d.description, "
    "d.created_at";
constexpr std::string_view kExtensionColumns =
    "e.number, e.user_id, e.group_id, coalesce(u.name, g.name)";
constexpr std::string_view kExtensionJoins =
    "FROM extensions e LEFT JOIN users u ON u.id = e.user_id "
    "LEFT JOIN groups g ON g.id = e.group_id";

constexpr std::string_view kApiTokenColumns =
    "t.id, t.user_id, u.name, t.name, t.secret_hash, t.scopes, t.created_at, t.last_used_at";
constexpr std::string_view kApiTokenJoins = "FROM api_tokens t JOIN users u ON u.id = t.user_id";

constexpr std::string_view kContactColumns =
    "id, user_id, name, company, email, notes, created_at, updated_at";

constexpr std::string_view kBindingColumns =
    "aor, contact, call_id, cseq, expires_at, q, transport, source_address, source_port, "
    "local_address, local_port, path, instance_id, user_agent";

constexpr std::string_view kCallLegColumns =
    "call_id, leg, caller, callee, device, started_at, answered_at, ended_at, state, "
    "hangup_cause, hangup_side";

std::string_view role_name(Role role) {
  return role == Role::admin ? "admin" : "user";
}

User read_user(const Statement& row) {
  return User{row.integer(0),
              row.text(1),
              row.text(2),
              row.text(3) == "admin" ? Role::admin : Role::user,
              {row.text(4), row.text(5), row.text(6)},
              row.integer(7),
              row.text(8)};
}

Device read_device(const Statement& row) {
  return Device{row.integer(0), row.integer(1), row.text(2), row.text(3),   row.text(4),
                row.text(5),    row.text(6),    row.text(7), row.integer(8)};
}

Extension read_extension(const Statement& row) {
  auto optional_id = [&row](int column) -> std::optional<Id> {
    return row.is_null(column) ? std::nullopt : std::optional<Id>(row.integer(column));
  };
  return Extension{row.text(0), optional_id(1), optional_id(2), row.text(3)};
}

ApiToken read_api_token(const Statement& row) {
  ApiToken token{row.integer(0), row.integer(1),
                 row.text(2),    row.text(3),
                 row.text(4),    {},
                 row.integer(6), row.is_null(7) ? UnixTime{0} : row.integer(7)};
  token.scopes = split_words(row.text(5));
  return token;
}

Binding read_binding(const Statement& row) {
  auto as_uint16 = [&row](int column) { return static_cast<std::uint16_t>(row.integer(column)); };
  return Binding{.aor = row.text(0),
                 .contact = row.text(1),
                 .call_id = row.text(2),
                 .transport = row.text(6),
                 .source_address = row.text(7),
                 .local_address = row.text(9),
                 .path = row.text(11),
                 .instance_id = row.text(12),
                 .user_agent = row.text(13),
                 .expires_at = row.integer(4),
                 .cseq = static_cast<std::uint32_t>(row.integer(3)),
                 .q = as_uint16(5),
                 .source_port = as_uint16(8),
                 .local_port = as_uint16(10)};
}

// 0 in a CallLeg time ("not yet") is NULL in the table.
std::optional<std::int64_t> time_or_null(UnixTime time) {
  return time == 0 ? std::nullopt : std::optional<std::int64_t>(time);
}

CallLeg read_call_leg(const Statement& row) {
  auto time = [&row](int column) {
    return row.is_null(column) ? UnixTime{0} : row.integer(column);
  };
  return CallLeg{.call_id = row.text(0),
                 .leg = row.text(1),
                 .caller = row.text(2),
                 .callee = row.text(3),
                 .device = row.text(4),
                 .started_at = time(5),
                 .answered_at = time(6),
                 .ended_at = time(7),
                 .state = row.text(8),
                 .hangup_cause = row.text(9),
                 .hangup_side = row.text(10)};
}

// The WHERE clause for a CallLegQuery and the values of its parameters, in order.
struct CallLegFilter {
  std::string where;
  std::vector<std::variant<std::string, std::int64_t>> values;
};

CallLegFilter call_leg_filter(const CallLegQuery& query) {
  CallLegFilter filter{query.active_only ? "ended_at IS NULL" : "1", {}};
  // A call starts with its caller's leg (a), and all its legs share caller and callee.
  std::string call;
  if (!query.number.empty()) {
    call += " AND (instr(lower(caller), lower(?)) > 0 OR instr(lower(callee), lower(?)) > 0)";
    filter.values.insert(filter.values.end(), 2, query.number);
  }
  if (query.since != 0) {
    call += " AND started_at >= ?";
    filter.values.emplace_back(query.since);
  }
  if (query.until != 0) {
    call += " AND started_at < ?";
    filter.values.emplace_back(query.until);
  }
  if (!call.empty()) {
    filter.where +=
        fmt::format(" AND call_id IN (SELECT call_id FROM call_legs WHERE leg = 'a'{})", call);
  }
  if (query.parties) {
    std::string names;
    for (std::size_t i = 0; i < query.parties->size(); ++i) {
      names += i == 0 ? "?" : ", ?";
    }
    filter.where += fmt::format(" AND call_id IN (SELECT call_id FROM call_legs WHERE caller IN "
                                "({0}) OR callee IN ({0}) OR device IN ({0}))",
                                names);
    // The names once for each of the three lists.
    for (int list = 0; list < 3; ++list) {
      filter.values.insert(filter.values.end(), query.parties->begin(), query.parties->end());
    }
  }
  return filter;
}

StoreError to_store_error(const SqliteFailure& failure, std::string_view conflict) {
  const int primary = failure.code() & 0xff;
  if (primary == SQLITE_CONSTRAINT) {
    return {StoreError::Kind::conflict, conflict.empty() ? failure.what() : std::string(conflict)};
  }
  if (primary == kNotFound) {
    return {StoreError::Kind::not_found, failure.what()};
  }
  if (primary == SQLITE_MISMATCH) {
    return {StoreError::Kind::incompatible, failure.what()};
  }
  return {StoreError::Kind::unavailable, fmt::format("database error: {}", failure.what())};
}

} // namespace

SqliteStore::SqliteStore(const std::filesystem::path& file) : db_(file) {
  migrate(db_);
}

template <typename Body>
auto SqliteStore::guarded(Body&& body, std::string_view conflict, Durability durability)
    -> Result<decltype(std::forward<Body>(body)())> {
  const std::scoped_lock lock(mutex_);
  try {
    db_.commit_durability(durability);
    if constexpr (std::is_void_v<decltype(std::forward<Body>(body)())>) {
      std::forward<Body>(body)();
      return {};
    } else {
      return std::forward<Body>(body)();
    }
  } catch (const SqliteFailure& failure) {
    return std::unexpected(to_store_error(failure, conflict));
  }
}

Result<User> SqliteStore::add_user(const NewUser& user) {
  return guarded(
      [&] {
        auto insert = db_.prepare(
            fmt::format("INSERT INTO users (name, display_name, role, password_hash, scram_sha1, "
                        "scram_sha256, call_class) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {}",
                        kUserColumns));
        insert.bind(1, user.name).bind(2, user.display_name).bind(3, role_name(user.role));
        insert.bind(4, user.password.hash)
            .bind(5, user.password.scram_sha1)
            .bind(6, user.password.scram_sha256);
        insert.bind(7, user.call_class).step();
        return read_user(insert);
      },
      fmt::format("a user named '{}' already exists", user.name));
}

Result<std::optional<User>> SqliteStore::find_user(std::string_view name) {
  return guarded([&]() -> std::optional<User> {
    auto select = db_.prepare(fmt::format("SELECT {} FROM users WHERE name = ?", kUserColumns));
    select.bind(1, name);
    return select.step() ? std::optional(read_user(select)) : std::nullopt;
  });
}

Result<std::vector<User>> SqliteStore::list_users() {
  return guarded([&] {
    auto select = db_.prepare(fmt::format("SELECT {} FROM users ORDER BY name", kUserColumns));
    std::vector<User> users;
    while (select.step()) {
      users.push_back(read_user(select));
    }
    return users;
  });
}

Result<std::size_t> SqliteStore::count_users(Role role) {
  return guarded([&] {
    auto count = db_.prepare("SELECT count(*) FROM users WHERE role = ?");
    count.bind(1, role_name(role)).step();
    return static_cast<std::size_t>(count.integer(0));
  });
}

Result<void> SqliteStore::set_password(Id user, const PasswordSecrets& password) {
  return guarded([&] {
    db_.prepare("UPDATE users SET password_hash = ?, scram_sha1 = ?, scram_sha256 = ? WHERE id = ?")
        .bind(1, password.hash)
        .bind(2, password.scram_sha1)
        .bind(3, password.scram_sha256)
        .bind(4, user)
        .run();
    db_.expect_changed("user");
  });
}

Result<void> SqliteStore::update_user(Id user, std::string_view display_name, Role role) {
  return guarded([&] {
    db_.prepare("UPDATE users SET display_name = ?, role = ? WHERE id = ?")
        .bind(1, display_name)
        .bind(2, role_name(role))
        .bind(3, user)
        .run();
    db_.expect_changed("user");
  });
}

Result<void> SqliteStore::remove_user(Id user) {
  return guarded([&] {
    db_.prepare("DELETE FROM users WHERE id = ?").bind(1, user).run();
    db_.expect_changed("user");
  });
}

Result<Device> SqliteStore::add_device(const NewDevice& device) {
  return guarded(
      [&] {
        Transaction transaction(db_);
        db_.prepare(
               "INSERT INTO devices (user_id, auth_name, realm, ha1_md5, ha1_sha256, description) "
               "VALUES (?, ?, ?, ?, ?, ?)")
            .bind(1, device.user_id)
            .bind(2, device.auth_name)
            .bind(3, device.realm)
            .bind(4, device.ha1_md5)
            .bind(5, device.ha1_sha256)
            .bind(6, device.description)
            .run();
        auto select = db_.prepare(
            fmt::format("SELECT {} FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?",
                        kDeviceColumns));
        select.bind(1, db_.last_insert_id()).step();
        Device added = read_device(select);
        transaction.commit();
        return added;
      },
      fmt::format("a device named '{}' already exists, or its user is gone", device.auth_name));
}

Result<std::optional<Device>> SqliteStore::find_device(std::string_view auth_name) {
  return guarded([&]() -> std::optional<Device> {
    auto select = db_.prepare(fmt::format(
        "SELECT {} FROM devices d JOIN users u ON u.id = d.user_id WHERE d.auth_name = ?",
        kDeviceColumns));
    select.bind(1, auth_name);
    return select.step() ? std::optional(read_device(select)) : std::nullopt;
  });
}

Result<std::vector<Device>> SqliteStore::list_devices() {
  return guarded([&] {
    auto select = db_.prepare(fmt::format(
        "SELECT {} FROM devices d JOIN users u ON u.id = d.user_id ORDER BY u.name, d.auth_name",
        kDeviceColumns));
    std::vector<Device> devices;
    while (select.step()) {
      devices.push_back(read_device(select));
    }
    return devices;
  });
}

Result<void> SqliteStore::remove_device(Id device) {
  return guarded([&] {
    db_.prepare("DELETE FROM devices WHERE id = ?").bind(1, device).run();
    db_.expect_changed("device");
  });
}

Result<void> SqliteStore::set_device_description(Id device, std::string_view description) {
  return guarded([&] {
    db_.prepare("UPDATE devices SET description = ? WHERE id = ?")
        .bind(1, description)
        .bind(2, device)
        .run();
    db_.expect_changed("device");
  });
}

Result<void> SqliteStore::set_device_credentials(Id device, std::string_view realm,
                                                 std::string_view ha1_md5,
                                                 std::string_view ha1_sha256) {
  return guarded([&] {
    db_.prepare("UPDATE devices SET realm = ?, ha1_md5 = ?, ha1_sha256 = ? WHERE id = ?")
        .bind(1, realm)
        .bind(2, ha1_md5)
        .bind(3, ha1_sha256)
        .bind(4, device)
        .run();
    db_.expect_changed("device");
  });
}

Result<Extension> SqliteStore::add_extension(const Extension& extension) {
  return guarded(
      [&] {
        Transaction transaction(db_);
        db_.prepare("INSERT INTO extensions (number, user_id, group_id) VALUES (?, ?, ?)")
            .bind(1, extension.number)
            .bind(2, extension.user_id)
            .bind(3, extension.group_id)
            .run();
        auto select = db_.prepare(
            fmt::format("SELECT {} {} WHERE e.number = ?", kExtensionColumns, kExtensionJoins));
        select.bind(1, extension.number).step();
        Extension added = read_extension(select);
        transaction.commit();
        return added;
      },
      fmt::format("extension {} is already taken, or its target is gone", extension.number));
}

Result<std::optional<Extension>> SqliteStore::find_extension(std::string_view number) {
  return guarded([&]() -> std::optional<Extension> {
    // This order is the call_legs_by_start index read backwards: no sort of the whole table.
    auto select = db_.prepare(
        fmt::format("SELECT {} {} WHERE e.number = ?", kExtensionColumns, kExtensionJoins));
    select.bind(1, number);
    return select.step() ? std::optional(read_extension(select)) : std::nullopt;
  });
}

Result<std::vector<Extension>> SqliteStore::list_extensions() {
  return guarded([&] {
    auto select = db_.prepare(fmt::format("SELECT {} {} ORDER BY length(e.number), e.number",
                                          kExtensionColumns, kExtensionJoins));
    std::vector<Extension> extensions;
    while (select.step()) {
      extensions.push_back(read_extension(select));
    }
    return extensions;
  });
}

Result<void> SqliteStore::remove_extension(std::string_view number) {
  return guarded([&] {
    db_.prepare("DELETE FROM extensions WHERE number = ?").bind(1, number).run();
    db_.expect_changed("extension");
  });
}

Group SqliteStore::read_group(Statement& row) {
  Group group{row.integer(0), row.text(1), row.text(2), {}};
  auto members = db_.prepare("SELECT u.name FROM group_members m JOIN users u ON u.id = m.user_id "
                             "WHERE m.group_id = ? ORDER BY u.name");
  members.bind(1, group.id);
  while (members.step()) {
    group.member_names.push_back(members.text(0));
  }
  return group;
}

Result<Group> SqliteStore::add_group(std::string_view name, std::string_view display_name) {
  return guarded(
      [&] {
        db_.prepare("INSERT INTO groups (name, display_name) VALUES (?, ?)")
            .bind(1, name)
            .bind(2, display_name)
            .run();
        return Group{db_.last_insert_id(), std::string(name), std::string(display_name), {}};
      },
      fmt::format("a group named '{}' already exists", name));
}

Result<std::optional<Group>> SqliteStore::find_group(std::string_view name) {
  return guarded([&]() -> std::optional<Group> {
    auto select = db_.prepare("SELECT id, name, display_name FROM groups WHERE name = ?");
    select.bind(1, name);
    return select.step() ? std::optional(read_group(select)) : std::nullopt;
  });
}

Result<std::vector<Group>> SqliteStore::list_groups() {
  return guarded([&] {
    auto select = db_.prepare("SELECT id, name, display_name FROM groups ORDER BY name");
    std::vector<Group> groups;
    while (select.step()) {
      groups.push_back(read_group(select));
    }
    return groups;
  });
}

Result<void> SqliteStore::remove_group(Id group) {
  return guarded([&] {
    db_.prepare("DELETE FROM groups WHERE id = ?").bind(1, group).run();
    db_.expect_changed("group");
  });
}

Result<void> SqliteStore::set_group_display_name(Id group, std::string_view display_name) {
  return guarded([&] {
    db_.prepare("UPDATE groups SET display_name = ? WHERE id = ?")
        .bind(1, display_name)
        .bind(2, group)
        .run();
    db_.expect_changed("group");
  });
}

Result<void> SqliteStore::add_group_member(Id group, Id user) {
  return guarded(
      [&] {
        db_.prepare("INSERT INTO group_members (group_id, user_id) VALUES (?, ?)")
            .bind(1, group)
            .bind(2, user)
            .run();
      },
      "the user is already a member of the group, or either is gone");
}

Result<void> SqliteStore::remove_group_member(Id group, Id user) {
  return guarded([&] {
    db_.prepare("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
        .bind(1, group)
        .bind(2, user)
        .run();
    db_.expect_changed("group membership");
  });
}

Result<ApiToken> SqliteStore::add_api_token(const NewApiToken& token) {
  return guarded(
      [&] {
        Transaction transaction(db_);
        db_.prepare(
               "INSERT INTO api_tokens (user_id, name, secret_hash, scopes) VALUES (?, ?, ?, ?)")
            .bind(1, token.user_id)
            .bind(2, token.name)
            .bind(3, token.secret_hash)
            .bind(4, join_words(token.scopes))
            .run();
        auto select = db_.prepare(
            fmt::format("SELECT {} {} WHERE t.id = ?", kApiTokenColumns, kApiTokenJoins));
        select.bind(1, db_.last_insert_id()).step();
        ApiToken added = read_api_token(select);
        transaction.commit();
        return added;
      },
      "the token's user is gone");
}

Result<std::optional<ApiToken>> SqliteStore::find_api_token(std::string_view secret_hash) {
  return guarded([&]() -> std::optional<ApiToken> {
    auto select = db_.prepare(
        fmt::format("SELECT {} {} WHERE t.secret_hash = ?", kApiTokenColumns, kApiTokenJoins));
    select.bind(1, secret_hash);
    return select.step() ? std::optional(read_api_token(select)) : std::nullopt;
  });
}

Result<std::vector<ApiToken>> SqliteStore::list_api_tokens(std::optional<Id> user) {
  return guarded([&] {
    auto select = db_.prepare(fmt::format("SELECT {} {} WHERE ?1 IS NULL OR t.user_id = ?1 "
                                          "ORDER BY t.created_at, t.id",
                                          kApiTokenColumns, kApiTokenJoins));
    select.bind(1, user);
    std::vector<ApiToken> tokens;
    while (select.step()) {
      tokens.push_back(read_api_token(select));
    }
    return tokens;
  });
}

Result<void> SqliteStore::remove_api_token(Id token) {
  return guarded([&] {
    db_.prepare("DELETE FROM api_tokens WHERE id = ?").bind(1, token).run();
    db_.expect_changed("API token");
  });
}

Result<void> SqliteStore::set_api_token_used(Id token, UnixTime at) {
  return guarded([&] {
    db_.prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
        .bind(1, at)
        .bind(2, token)
        .run();
    db_.expect_changed("API token");
  });
}

Contact SqliteStore::read_contact(Id user, Id contact) {
  auto select = db_.prepare(
      fmt::format("SELECT {} FROM contacts WHERE id = ? AND user_id = ?", kContactColumns));
  select.bind(1, contact).bind(2, user);
  if (!select.step()) {
    throw SqliteFailure(kNotFound, "no such contact");
  }
  Contact read{select.integer(0), select.integer(1), select.text(2),    select.text(3),   {},
               select.text(4),    select.text(5),    select.integer(6), select.integer(7)};
  auto numbers = db_.prepare(
      "SELECT type, number FROM contact_numbers WHERE contact_id = ? ORDER BY position");
  numbers.bind(1, read.id);
  while (numbers.step()) {
    read.numbers.push_back({numbers.text(0), numbers.text(1)});
  }
  return read;
}

void SqliteStore::write_contact_numbers(const Contact& contact) {
  db_.prepare("DELETE FROM contact_numbers WHERE contact_id = ?").bind(1, contact.id).run();
  auto insert = db_.prepare(
      "INSERT INTO contact_numbers (contact_id, position, type, number) VALUES (?, ?, ?, ?)");
  std::int64_t position = 0;
  for (const auto& number : contact.numbers) {
    insert.bind(1, contact.id).bind(2, position++).bind(3, number.type).bind(4, number.number);
    insert.run();
    insert.reset();
  }
}

Result<Contact> SqliteStore::add_contact(const Contact& contact) {
  return guarded(
      [&] {
        Transaction transaction(db_);
        db_.prepare("INSERT INTO contacts (user_id, name, company, email, notes) "
                    "VALUES (?, ?, ?, ?, ?)")
            .bind(1, contact.user_id)
            .bind(2, contact.name)
            .bind(3, contact.company)
            .bind(4, contact.email)
            .bind(5, contact.notes)
            .run();
        Contact added = contact;
        added.id = db_.last_insert_id();
        write_contact_numbers(added);
        added = read_contact(added.user_id, added.id);
        transaction.commit();
        return added;
      },
      "the contact's user is gone");
}

Result<std::vector<Contact>> SqliteStore::list_contacts(Id user) {
  return guarded([&] {
    auto select =
        db_.prepare("SELECT id FROM contacts WHERE user_id = ? ORDER BY name COLLATE NOCASE, id");
    select.bind(1, user);
    std::vector<Contact> contacts;
    while (select.step()) {
      contacts.push_back(read_contact(user, select.integer(0)));
    }
    return contacts;
  });
}

Result<std::optional<Contact>> SqliteStore::find_contact(Id user, Id contact) {
  return guarded([&]() -> std::optional<Contact> {
    auto exists = db_.prepare("SELECT 1 FROM contacts WHERE id = ? AND user_id = ?");
    exists.bind(1, contact).bind(2, user);
    return exists.step() ? std::optional(read_contact(user, contact)) : std::nullopt;
  });
}

Result<Contact> SqliteStore::update_contact(const Contact& contact) {
  return guarded([&] {
    Transaction transaction(db_);
    db_.prepare("UPDATE contacts SET name = ?, company = ?, email = ?, notes = ?, "
                "updated_at = unixepoch() WHERE id = ? AND user_id = ?")
        .bind(1, contact.name)
        .bind(2, contact.company)
        .bind(3, contact.email)
        .bind(4, contact.notes)
        .bind(5, contact.id)
        .bind(6, contact.user_id)
        .run();
    db_.expect_changed("contact");
    write_contact_numbers(contact);
    Contact updated = read_contact(contact.user_id, contact.id);
    transaction.commit();
    return updated;
  });
}

Result<void> SqliteStore::remove_contact(Id user, Id contact) {
  return guarded([&] {
    db_.prepare("DELETE FROM contacts WHERE id = ? AND user_id = ?")
        .bind(1, contact)
        .bind(2, user)
        .run();
    db_.expect_changed("contact");
  });
}

Result<void> SqliteStore::replace_bindings(std::span<const AorBindings> changes,
                                           Durability durability) {
  const auto write = [&] {
    Transaction transaction(db_);
    static const std::string kInsert = fmt::format(
        "INSERT INTO registrations ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        kBindingColumns);
    auto& remove = db_.reused("DELETE FROM registrations WHERE aor = ?");
    auto& insert = db_.reused(kInsert);
    // The texts are borrowed: `changes` outlives each run, and SQLite's copies of them were
    // a fifth of this loop's time.
    for (const auto& change : changes) {
      remove.bind_borrowed(1, change.aor).run();
      remove.reset();
      for (const auto& binding : change.bindings) {
        insert.bind_borrowed(1, binding.aor).bind_borrowed(2, binding.contact);
        insert.bind_borrowed(3, binding.call_id).bind(4, std::int64_t{binding.cseq});
        insert.bind(5, binding.expires_at).bind(6, std::int64_t{binding.q});
        insert.bind_borrowed(7, binding.transport).bind_borrowed(8, binding.source_address);
        insert.bind(9, std::int64_t{binding.source_port}).bind_borrowed(10, binding.local_address);
        insert.bind(11, std::int64_t{binding.local_port}).bind_borrowed(12, binding.path);
        insert.bind_borrowed(13, binding.instance_id).bind_borrowed(14, binding.user_agent);
        insert.run();
        insert.reset();
      }
    }
    transaction.commit();
  };
  return guarded(write, "", durability);
}

Result<std::vector<Binding>> SqliteStore::list_bindings() {
  return guarded([&] {
    // The primary key's order: the table is read as stored, with no sort.
    auto select = db_.prepare(
        fmt::format("SELECT {} FROM registrations ORDER BY aor, contact", kBindingColumns));
    std::vector<Binding> bindings;
    while (select.step()) {
      bindings.push_back(read_binding(select));
    }
    return bindings;
  });
}

Result<void> SqliteStore::save_call_legs(std::span<const CallLeg> legs) {
  return guarded([&] {
    Transaction transaction(db_);
    auto upsert = db_.prepare(fmt::format(
        "INSERT OR REPLACE INTO call_legs ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        kCallLegColumns));
    for (const auto& leg : legs) {
      upsert.bind(1, leg.call_id).bind(2, leg.leg).bind(3, leg.caller).bind(4, leg.callee);
      upsert.bind(5, leg.device).bind(6, leg.started_at);
      upsert.bind(7, time_or_null(leg.answered_at)).bind(8, time_or_null(leg.ended_at));
      upsert.bind(9, leg.state).bind(10, leg.hangup_cause).bind(11, leg.hangup_side);
      upsert.run();
      upsert.reset();
    }
    transaction.commit();
  });
}

Result<std::vector<CallLeg>> SqliteStore::list_call_legs(const CallLegQuery& query) {
  return guarded([&] {
    const CallLegFilter filter = call_leg_filter(query);
    // This order is the call_legs_by_start index read backwards: no sort of the whole table.
    auto select = db_.prepare(fmt::format(
        "SELECT {} FROM call_legs WHERE {} ORDER BY started_at DESC, call_id DESC, leg DESC "
        "LIMIT ?",
        kCallLegColumns, filter.where));
    int index = 0;
    for (const auto& value : filter.values) {
      std::visit([&](const auto& bound) { select.bind(++index, bound); }, value);
    }
    // SQLite's LIMIT is signed; anything beyond its range means "all".
    constexpr auto kAll = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    select.bind(++index, static_cast<std::int64_t>(std::min(query.limit, kAll)));
    std::vector<CallLeg> legs;
    while (select.step()) {
      legs.push_back(read_call_leg(select));
    }
    return legs;
  });
}

Result<std::size_t> SqliteStore::end_active_call_legs(UnixTime at, std::string_view cause) {
  return guarded([&] {
    // max(): a clock stepped back since the crash must not give a negative duration.
    db_.prepare("UPDATE call_legs SET ended_at = max(?1, started_at, coalesce(answered_at, 0)), "
                "state = 'ended', hangup_cause = ?2, hangup_side = 'system' "
                "WHERE ended_at IS NULL")
        .bind(1, at)
        .bind(2, cause)
        .run();
    return static_cast<std::size_t>(db_.changes());
  });
}

Result<std::uint64_t> SqliteStore::revision() {
  return guarded([&] {
    auto version = db_.prepare("SELECT revision FROM directory_revision");
    version.step();
    return static_cast<std::uint64_t>(version.integer(0));
  });
}

Result<Trunk> SqliteStore::add_trunk(const Trunk& trunk) {
  return guarded([&] { return trunk_rows::add(db_, trunk); },
                 fmt::format("a trunk named '{}' already exists", trunk.name));
}

Result<std::optional<Trunk>> SqliteStore::find_trunk(std::string_view name) {
  return guarded([&] { return trunk_rows::find(db_, name); });
}

Result<std::vector<Trunk>> SqliteStore::list_trunks() {
  return guarded([&] { return trunk_rows::list(db_); });
}

Result<Trunk> SqliteStore::update_trunk(const Trunk& trunk) {
  return guarded([&] { return trunk_rows::update(db_, trunk); },
                 fmt::format("a trunk named '{}' already exists", trunk.name));
}

Result<void> SqliteStore::remove_trunk(Id trunk) {
  return guarded([&] { trunk_rows::remove(db_, trunk); });
}

Result<OutboundRoute> SqliteStore::add_outbound_route(const OutboundRoute& route) {
  return guarded([&] { return trunk_rows::add_route(db_, route); },
                 fmt::format("an outbound route named '{}' already exists", route.name));
}

Result<std::vector<OutboundRoute>> SqliteStore::list_outbound_routes() {
  return guarded([&] { return trunk_rows::list_routes(db_); });
}

Result<OutboundRoute> SqliteStore::update_outbound_route(const OutboundRoute& route) {
  return guarded([&] { return trunk_rows::update_route(db_, route); },
                 fmt::format("an outbound route named '{}' already exists", route.name));
}

Result<void> SqliteStore::remove_outbound_route(Id route) {
  return guarded([&] { trunk_rows::remove_route(db_, route); });
}

Result<void> SqliteStore::set_user_call_class(Id user, std::string_view call_class) {
  return guarded([&] {
    db_.prepare("UPDATE users SET call_class = ? WHERE id = ?")
        .bind(1, call_class)
        .bind(2, user)
        .run();
    db_.expect_changed("user");
  });
}

Result<void> SqliteStore::save_trunk_status(const TrunkStatus& status) {
  return guarded([&] { trunk_rows::save_status(db_, status); });
}

Result<std::vector<TrunkStatus>> SqliteStore::list_trunk_status() {
  return guarded([&] { return trunk_rows::list_status(db_); });
}

Result<Id> SqliteStore::add_offline_message(Id user, std::string_view stanza, UnixTime stored_at) {
  return guarded(
      [&] {
        db_.prepare(
               "INSERT INTO xmpp_offline_messages (user_id, stanza, stored_at) VALUES (?, ?, ?)")
            .bind(1, user)
            .bind(2, stanza)
            .bind(3, stored_at)
            .run();
        return db_.last_insert_id();
      },
      "the offline message's user is gone");
}

Result<std::vector<OfflineMessage>> SqliteStore::list_offline_messages() {
  return guarded([&] {
    auto select =
        db_.prepare("SELECT id, user_id, stanza, stored_at FROM xmpp_offline_messages ORDER BY id");
    std::vector<OfflineMessage> messages;
    while (select.step()) {
      messages.push_back({select.integer(0), select.integer(1), select.text(2), select.integer(3)});
    }
    return messages;
  });
}

Result<void> SqliteStore::remove_offline_messages(Id user, Id up_to) {
  return guarded([&] {
    db_.prepare("DELETE FROM xmpp_offline_messages WHERE user_id = ? AND id <= ?")
        .bind(1, user)
        .bind(2, up_to)
        .run();
  });
}

Result<Id> SqliteStore::add_archived_message(const ArchivedMessage& message) {
  return guarded([&] { return archive_rows::add(db_, message); },
                 "the archived message's user is gone, or its archive id is taken");
}

Result<ArchivePage> SqliteStore::query_archive(const ArchiveQuery& query) {
  return guarded([&] { return archive_rows::query(db_, query); });
}

Result<std::size_t> SqliteStore::remove_archived_messages_before(UnixTime cutoff) {
  return guarded([&] { return archive_rows::remove_before(db_, cutoff); });
}

Result<void> SqliteStore::save_xmpp_room(const XmppRoom& room) {
  return guarded([&] { room_rows::save(db_, room); });
}

Result<std::vector<XmppRoom>> SqliteStore::list_xmpp_rooms() {
  return guarded([&] { return room_rows::list(db_); });
}

Result<void> SqliteStore::remove_xmpp_room(std::string_view name) {
  return guarded([&] { room_rows::remove(db_, name); });
}

Result<void> SqliteStore::put_xmpp_user_item(const XmppUserItem& item) {
  return guarded([&] {
    db_.prepare("INSERT INTO xmpp_user_data (user_id, kind, key, value, updated_at) "
                "SELECT id, ?, ?, ?, ? FROM users WHERE name = ? "
                "ON CONFLICT (user_id, kind, key) DO UPDATE "
                "SET value = excluded.value, updated_at = excluded.updated_at")
        .bind(1, item.kind)
        .bind(2, item.key)
        .bind(3, item.value)
        .bind(4, item.updated_at)
        .bind(5, item.user)
        .run();
    db_.expect_changed("user");
  });
}

Result<void> SqliteStore::remove_xmpp_user_item(std::string_view user, std::string_view kind,
                                                std::string_view key) {
  return guarded([&] {
    db_.prepare("DELETE FROM xmpp_user_data WHERE kind = ? AND key = ? "
                "AND user_id = (SELECT id FROM users WHERE name = ?)")
        .bind(1, kind)
        .bind(2, key)
        .bind(3, user)
        .run();
  });
}

Result<std::vector<XmppUserItem>> SqliteStore::list_xmpp_user_items() {
  return guarded([&] {
    auto select = db_.prepare("SELECT u.name, d.kind, d.key, d.value, d.updated_at "
                              "FROM xmpp_user_data d JOIN users u ON u.id = d.user_id "
                              "ORDER BY u.name, d.kind, d.key");
    std::vector<XmppUserItem> items;
    while (select.step()) {
      items.push_back(
          {select.text(0), select.text(1), select.text(2), select.text(3), select.integer(4)});
    }
    return items;
  });
}

} // namespace starling::store::sqlite
