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
    // Tokens go with their user. scopes is space-separated ("directory:read calls:read").
    Migration{4, R"sql(
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  secret_hash  TEXT NOT NULL UNIQUE,
  scopes       TEXT NOT NULL,
  created_at   INTEGER NOT NULL DEFAULT (unixepoch()),
  last_used_at INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens(user_id);
)sql"},
    // Personal contacts go with their user; a contact's numbers keep the order they were given.
    Migration{5, R"sql(
CREATE TABLE contacts (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  company    TEXT NOT NULL,
  email      TEXT NOT NULL,
  notes      TEXT NOT NULL,
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  updated_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX contacts_by_user ON contacts(user_id);
CREATE TABLE contact_numbers (
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  type       TEXT NOT NULL,
  number     TEXT NOT NULL,
  PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
)sql"},
    // Signalling caches the directory (credentials, dial plan) and reloads it when this
    // number moves. Triggers move it for every writer alike: this process's REST API, the
    // CLI in another process, a later PostgreSQL node. Registrations and call records do
    // not move it, so a busy PBX does not reload its directory every second.
    Migration{6, R"sql(
CREATE TABLE directory_revision (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
);
INSERT INTO directory_revision (id, revision) VALUES (1, 0);
CREATE TRIGGER users_insert_moves_revision AFTER INSERT ON users
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER users_update_moves_revision AFTER UPDATE ON users
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER users_delete_moves_revision AFTER DELETE ON users
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER devices_insert_moves_revision AFTER INSERT ON devices
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER devices_update_moves_revision AFTER UPDATE ON devices
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER devices_delete_moves_revision AFTER DELETE ON devices
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER extensions_insert_moves_revision AFTER INSERT ON extensions
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER extensions_update_moves_revision AFTER UPDATE ON extensions
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER extensions_delete_moves_revision AFTER DELETE ON extensions
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER groups_insert_moves_revision AFTER INSERT ON groups
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER groups_update_moves_revision AFTER UPDATE ON groups
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER groups_delete_moves_revision AFTER DELETE ON groups
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER group_members_insert_moves_revision AFTER INSERT ON group_members
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER group_members_update_moves_revision AFTER UPDATE ON group_members
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER group_members_delete_moves_revision AFTER DELETE ON group_members
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
)sql"},
    // SIP trunks to providers, the numbers (DIDs) they deliver, the ordered outbound routes,
    // and each trunk's registration state as the running server last saw it. A trunk's
    // password is kept as given: answering the provider's challenges needs it (docs/trunks.md).
    // Users get the class of numbers they may call out to.
    Migration{7, R"sql(
ALTER TABLE users ADD COLUMN call_class TEXT NOT NULL DEFAULT 'national';
CREATE TABLE trunks (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL UNIQUE,
  kind              TEXT NOT NULL CHECK (kind IN ('register', 'ip')),
  domain            TEXT NOT NULL,
  outbound_proxy    TEXT NOT NULL,
  transport         TEXT NOT NULL CHECK (transport IN ('udp', 'tcp', 'tls')),
  username          TEXT NOT NULL,
  auth_username     TEXT NOT NULL,
  password          TEXT NOT NULL,
  from_user         TEXT NOT NULL,
  expires           INTEGER NOT NULL,
  allowed_addresses TEXT NOT NULL,
  codecs            TEXT NOT NULL,
  caller_id_format  TEXT NOT NULL,
  identity          TEXT NOT NULL,
  channels          INTEGER NOT NULL,
  unknown_did       TEXT NOT NULL,
  enabled           INTEGER NOT NULL,
  created_at        INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE TABLE trunk_numbers (
  trunk_id INTEGER NOT NULL REFERENCES trunks(id) ON DELETE CASCADE,
  did      TEXT NOT NULL,
  target   TEXT NOT NULL,
  PRIMARY KEY (trunk_id, did)
) WITHOUT ROWID;
CREATE TABLE outbound_routes (
  id        INTEGER PRIMARY KEY,
  position  INTEGER NOT NULL,
  name      TEXT NOT NULL UNIQUE,
  pattern   TEXT NOT NULL,
  strip     INTEGER NOT NULL,
  prepend   TEXT NOT NULL,
  e164      INTEGER NOT NULL,
  trunks    TEXT NOT NULL
);
CREATE TABLE trunk_status (
  trunk      TEXT PRIMARY KEY,
  state      TEXT NOT NULL,
  reason     TEXT NOT NULL,
  changed_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER trunks_insert_moves_revision AFTER INSERT ON trunks
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER trunks_update_moves_revision AFTER UPDATE ON trunks
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER trunks_delete_moves_revision AFTER DELETE ON trunks
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER trunk_numbers_insert_moves_revision AFTER INSERT ON trunk_numbers
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER trunk_numbers_update_moves_revision AFTER UPDATE ON trunk_numbers
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER trunk_numbers_delete_moves_revision AFTER DELETE ON trunk_numbers
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER outbound_routes_insert_moves_revision AFTER INSERT ON outbound_routes
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER outbound_routes_update_moves_revision AFTER UPDATE ON outbound_routes
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
CREATE TRIGGER outbound_routes_delete_moves_revision AFTER DELETE ON outbound_routes
  BEGIN UPDATE directory_revision SET revision = revision + 1; END;
)sql"},
    // SCRAM secrets of login passwords, for XMPP (RFC 5802, in RFC 5803 form). Users whose
    // password was set before have none until it is set again or they log in with PLAIN.
    Migration{8, R"sql(
ALTER TABLE users ADD COLUMN scram_sha1 TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN scram_sha256 TEXT NOT NULL DEFAULT '';
)sql"},
    // XMPP messages waiting for a user with no available resource (RFC 6121 §8.5.2.2), so a
    // restart does not lose them; id order is arrival order. No revision trigger: they are
    // not directory, and a message must not make signalling reload its dial plan.
    Migration{9, R"sql(
CREATE TABLE xmpp_offline_messages (
  id        INTEGER PRIMARY KEY,
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  stanza    TEXT NOT NULL,
  stored_at INTEGER NOT NULL
);
CREATE INDEX xmpp_offline_messages_by_user ON xmpp_offline_messages(user_id);
)sql"},
    // Users' XMPP message archives (XEP-0313): each one-to-one message once in the sender's
    // and once in the recipient's. id order is archiving order, which pages follow; the
    // indexes serve "my archive" and "my archive with one contact". No revision trigger, as
    // for offline messages.
    Migration{10, R"sql(
CREATE TABLE xmpp_archive (
  id         INTEGER PRIMARY KEY,
  archive_id TEXT NOT NULL UNIQUE,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  with_jid   TEXT NOT NULL,
  stanza     TEXT NOT NULL,
  stored_at  INTEGER NOT NULL
);
CREATE INDEX xmpp_archive_by_user ON xmpp_archive(user_id, id);
CREATE INDEX xmpp_archive_by_user_with ON xmpp_archive(user_id, with_jid, id);
CREATE INDEX xmpp_archive_by_time ON xmpp_archive(stored_at);
)sql"},
    // Persistent XMPP group chat rooms (XEP-0045 §10.1.3). created_by is a JID, not a user
    // id: a room outlives its creator's account. No revision trigger, as for offline messages.
    Migration{11, R"sql(
CREATE TABLE xmpp_rooms (
  name       TEXT PRIMARY KEY,
  subject    TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
)sql"},
    // What XMPP users keep on the server besides messages (contacts, PEP items, vCards,
    // blocklists, push registrations): small XML documents by (user, kind, key). No revision
    // trigger, as for offline messages.
    Migration{12, R"sql(
CREATE TABLE xmpp_user_data (
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, kind, key)
);
)sql"},
    // Group chat rooms' archives (XEP-0313 §5), the same shape as users' with the room's name
    // as owner. Rooms outlive their creators, so no reference to users; no revision trigger.
    Migration{13, R"sql(
CREATE TABLE xmpp_room_archive (
  id         INTEGER PRIMARY KEY,
  archive_id TEXT NOT NULL UNIQUE,
  room       TEXT NOT NULL,
  with_jid   TEXT NOT NULL,
  stanza     TEXT NOT NULL,
  stored_at  INTEGER NOT NULL
);
CREATE INDEX xmpp_room_archive_by_room ON xmpp_room_archive(room, id);
CREATE INDEX xmpp_room_archive_by_time ON xmpp_room_archive(stored_at);
)sql"},
    // What a room's owner may configure (XEP-0045 §10.2): its name and description.
    Migration{14, R"sql(
ALTER TABLE xmpp_rooms ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE xmpp_rooms ADD COLUMN description TEXT NOT NULL DEFAULT '';
)sql"},
    // Who belongs to a room (XEP-0045 §5.2) and what else its owner may configure (§10.2).
    // Existing rooms keep their creator as owner and stay open and public.
    Migration{15, R"sql(
ALTER TABLE xmpp_rooms ADD COLUMN members_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE xmpp_rooms ADD COLUMN is_public INTEGER NOT NULL DEFAULT 1;
ALTER TABLE xmpp_rooms ADD COLUMN occupants_change_subject INTEGER NOT NULL DEFAULT 1;
ALTER TABLE xmpp_rooms ADD COLUMN occupants_invite INTEGER NOT NULL DEFAULT 1;
CREATE TABLE xmpp_room_affiliations (
  room        TEXT NOT NULL REFERENCES xmpp_rooms(name) ON DELETE CASCADE,
  jid         TEXT NOT NULL,
  affiliation TEXT NOT NULL CHECK (affiliation IN ('owner', 'admin', 'member', 'outcast')),
  PRIMARY KEY (room, jid)
);
INSERT INTO xmpp_room_affiliations (room, jid, affiliation)
  SELECT name, created_by, 'owner' FROM xmpp_rooms;
)sql"},
    // Rooms whose occupants' real JIDs only moderators see, and moderated rooms (XEP-0045
    // §4.2); existing rooms stay non-anonymous and unmoderated.
    Migration{16, R"sql(
ALTER TABLE xmpp_rooms ADD COLUMN semi_anonymous INTEGER NOT NULL DEFAULT 0;
ALTER TABLE xmpp_rooms ADD COLUMN moderated INTEGER NOT NULL DEFAULT 0;
)sql"},
    // Password-protected rooms (XEP-0045 §7.2.6); existing rooms have none.
    Migration{17, R"sql(
ALTER TABLE xmpp_rooms ADD COLUMN password TEXT NOT NULL DEFAULT '';
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
