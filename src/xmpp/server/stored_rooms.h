// The group chat rooms (XEP-0045) kept in the store: read once at start, written behind.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "store/store.h"
#include "xmpp/muc/room_store.h"

namespace starling::xmpp::server {

// Runs on the router's thread. Writes go through `store_writer`, an executor that runs one
// task at a time in order (a strand of worker threads), so a room's later subject is never
// overwritten by an earlier one.
class StoredRooms final : public muc::RoomStore {
public:
  StoredRooms(store::Store& store, boost::asio::any_io_executor store_writer);

  // The rooms the last run left; nothing (logged) when the store cannot be read.
  std::optional<std::vector<muc::RoomRecord>> load();

  void save(const muc::RoomRecord& room) override;
  void remove(std::string_view name) override;

private:
  store::Store& store_;
  boost::asio::any_io_executor store_writer_;
};

} // namespace starling::xmpp::server
