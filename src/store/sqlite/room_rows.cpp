// Group chat rooms in xmpp_rooms, their affiliations in xmpp_room_affiliations.
#include "store/sqlite/room_rows.h"

#include <map>
#include <string>
#include <utility>

namespace starling::store::sqlite::room_rows {

void save(Database& db, const XmppRoom& room) {
  Transaction transaction(db);
  db.prepare("INSERT INTO xmpp_rooms (name, subject, created_by, created_at, title, description, "
             "members_only, is_public, occupants_change_subject, occupants_invite, "
             "semi_anonymous, moderated, password) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
             "subject = excluded.subject, title = excluded.title, "
             "description = excluded.description, members_only = excluded.members_only, "
             "is_public = excluded.is_public, "
             "occupants_change_subject = excluded.occupants_change_subject, "
             "occupants_invite = excluded.occupants_invite, "
             "semi_anonymous = excluded.semi_anonymous, moderated = excluded.moderated, "
             "password = excluded.password")
      .bind(1, room.name)
      .bind(2, room.subject)
      .bind(3, room.created_by)
      .bind(4, room.created_at)
      .bind(5, room.title)
      .bind(6, room.description)
      .bind(7, std::int64_t{room.members_only})
      .bind(8, std::int64_t{room.is_public})
      .bind(9, std::int64_t{room.occupants_change_subject})
      .bind(10, std::int64_t{room.occupants_invite})
      .bind(11, std::int64_t{room.semi_anonymous})
      .bind(12, std::int64_t{room.moderated})
      .bind(13, room.password)
      .run();
  // A room has a handful of affiliations and they change rarely: rewritten whole.
  db.prepare("DELETE FROM xmpp_room_affiliations WHERE room = ?").bind(1, room.name).run();
  auto insert =
      db.prepare("INSERT INTO xmpp_room_affiliations (room, jid, affiliation) VALUES (?, ?, ?)");
  for (const auto& [jid, affiliation] : room.affiliations) {
    insert.bind(1, room.name).bind(2, jid).bind(3, affiliation).run();
    insert.reset();
  }
  transaction.commit();
}

std::vector<XmppRoom> list(Database& db) {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>, std::less<>> affiliations;
  auto affiliated =
      db.prepare("SELECT room, jid, affiliation FROM xmpp_room_affiliations ORDER BY room, jid");
  while (affiliated.step()) {
    affiliations[affiliated.text(0)].emplace_back(affiliated.text(1), affiliated.text(2));
  }
  auto select = db.prepare("SELECT name, subject, created_by, created_at, title, description, "
                           "members_only, is_public, occupants_change_subject, occupants_invite, "
                           "semi_anonymous, moderated, password FROM xmpp_rooms ORDER BY name");
  std::vector<XmppRoom> rooms;
  while (select.step()) {
    auto name = select.text(0);
    auto room_affiliations = std::move(affiliations[name]);
    rooms.push_back({.name = std::move(name),
                     .subject = select.text(1),
                     .created_by = select.text(2),
                     .created_at = select.integer(3),
                     .title = select.text(4),
                     .description = select.text(5),
                     .members_only = select.integer(6) != 0,
                     .is_public = select.integer(7) != 0,
                     .occupants_change_subject = select.integer(8) != 0,
                     .occupants_invite = select.integer(9) != 0,
                     .semi_anonymous = select.integer(10) != 0,
                     .moderated = select.integer(11) != 0,
                     .password = select.text(12),
                     .affiliations = std::move(room_affiliations)});
  }
  return rooms;
}

void remove(Database& db, std::string_view name) {
  Transaction transaction(db);
  // Affiliations go by their foreign key.
  db.prepare("DELETE FROM xmpp_rooms WHERE name = ?").bind(1, name).run();
  db.prepare("DELETE FROM xmpp_room_archive WHERE room = ?").bind(1, name).run();
  transaction.commit();
}

} // namespace starling::store::sqlite::room_rows
