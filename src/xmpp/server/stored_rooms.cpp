// Group chat rooms over the store, converted between the room's and the store's records.
#include "xmpp/server/stored_rooms.h"

#include <chrono>
#include <string>
#include <utility>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.h"

namespace starling::xmpp::server {

StoredRooms::StoredRooms(store::Store& store, boost::asio::any_io_executor store_writer)
    : store_(store), store_writer_(std::move(store_writer)) {}

namespace {

muc::RoomRecord from_row(store::XmppRoom row) {
  muc::RoomRecord room;
  room.name = std::move(row.name);
  room.subject = std::move(row.subject);
  room.created_by = std::move(row.created_by);
  room.created_at = std::chrono::system_clock::time_point(std::chrono::seconds(row.created_at));
  room.title = std::move(row.title);
  room.description = std::move(row.description);
  room.members_only = row.members_only;
  room.is_public = row.is_public;
  room.occupants_change_subject = row.occupants_change_subject;
  room.occupants_invite = row.occupants_invite;
  room.semi_anonymous = row.semi_anonymous;
  room.moderated = row.moderated;
  room.password = std::move(row.password);
  for (auto& [jid, name] : row.affiliations) {
    if (const auto affiliation = muc::parse_affiliation(name)) { // the schema checks it
      room.affiliations.insert_or_assign(std::move(jid), *affiliation);
    }
  }
  return room;
}

store::XmppRoom to_row(const muc::RoomRecord& room) {
  store::XmppRoom row{.name = room.name,
                      .subject = room.subject,
                      .created_by = room.created_by,
                      .created_at = core::unix_seconds(room.created_at),
                      .title = room.title,
                      .description = room.description,
                      .members_only = room.members_only,
                      .is_public = room.is_public,
                      .occupants_change_subject = room.occupants_change_subject,
                      .occupants_invite = room.occupants_invite,
                      .semi_anonymous = room.semi_anonymous,
                      .moderated = room.moderated,
                      .password = room.password,
                      .affiliations = {}};
  for (const auto& [jid, affiliation] : room.affiliations) {
    row.affiliations.emplace_back(jid, muc::to_string(affiliation));
  }
  return row;
}

} // namespace

std::optional<std::vector<muc::RoomRecord>> StoredRooms::load() {
  auto stored = store_.list_xmpp_rooms();
  if (!stored) {
    spdlog::error("xmpp: cannot read the group chat rooms: {}", stored.error().message);
    return std::nullopt;
  }
  std::vector<muc::RoomRecord> rooms;
  rooms.reserve(stored->size());
  for (auto& row : *stored) {
    rooms.push_back(from_row(std::move(row)));
  }
  return rooms;
}

void StoredRooms::save(const muc::RoomRecord& room) {
  boost::asio::post(store_writer_, [&store = store_, row = to_row(room)] {
    if (auto saved = store.save_xmpp_room(row); !saved) {
      spdlog::error("xmpp: group chat room {} not written: {}", row.name, saved.error().message);
    }
  });
}

void StoredRooms::remove(std::string_view name) {
  boost::asio::post(store_writer_, [&store = store_, name = std::string(name)] {
    if (auto removed = store.remove_xmpp_room(name); !removed) {
      spdlog::error("xmpp: destroyed group chat room {} not removed: {}", name,
                    removed.error().message);
    }
  });
}

} // namespace starling::xmpp::server
