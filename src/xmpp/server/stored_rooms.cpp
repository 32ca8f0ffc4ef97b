// Group chat rooms over the store, converted between the room's and the store's records.
#include "xmpp/server/stored_rooms.h"

#include <chrono>
#include <utility>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "core/clock.h"

namespace starling::xmpp::server {

StoredRooms::StoredRooms(store::Store& store, boost::asio::any_io_executor store_writer)
    : store_(store), store_writer_(std::move(store_writer)) {}

std::optional<std::vector<muc::RoomRecord>> StoredRooms::load() {
  auto stored = store_.list_xmpp_rooms();
  if (!stored) {
    spdlog::error("xmpp: cannot read the group chat rooms: {}", stored.error().message);
    return std::nullopt;
  }
  std::vector<muc::RoomRecord> rooms;
  rooms.reserve(stored->size());
  for (auto& room : *stored) {
    rooms.push_back(
        {.name = std::move(room.name),
         .subject = std::move(room.subject),
         .created_by = std::move(room.created_by),
         .created_at = std::chrono::system_clock::time_point(std::chrono::seconds(room.created_at)),
         .title = std::move(room.title),
         .description = std::move(room.description)});
  }
  return rooms;
}

void StoredRooms::save(const muc::RoomRecord& room) {
  boost::asio::post(store_writer_, [&store = store_,
                                    row = store::XmppRoom{.name = room.name,
                                                          .subject = room.subject,
                                                          .created_by = room.created_by,
                                                          .created_at =
                                                              core::unix_seconds(room.created_at),
                                                          .title = room.title,
                                                          .description = room.description}] {
    if (auto saved = store.save_xmpp_room(row); !saved) {
      spdlog::error("xmpp: group chat room {} not written: {}", row.name, saved.error().message);
    }
  });
}

} // namespace starling::xmpp::server
