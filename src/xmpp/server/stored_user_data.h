// Users' XMPP data (im::UserData) kept in the store: read once at start, served from
// memory, written behind.
#pragma once

#include <string_view>

#include <boost/asio/any_io_executor.hpp>

#include "core/clock.h"
#include "store/store.h"
#include "xmpp/im/memory_user_data.h"
#include "xmpp/im/user_data.h"

namespace starling::xmpp::server {

// Runs on the router's thread. Writes go through `store_writer`, an executor that runs one
// task at a time in order (a strand of worker threads), so an entry's later value is never
// overwritten by an earlier one. A user removed from the directory takes its entries with
// it in the store; remove_user() forgets them in memory.
class StoredUserData final : public im::UserData {
public:
  StoredUserData(store::Store& store, boost::asio::any_io_executor store_writer,
                 const core::Clock& clock);

  // What the last run left. When the store cannot be read, logs it and starts empty.
  void load();
  void remove_user(std::string_view user) { memory_.remove_user(user); }

  [[nodiscard]] const xml::Element* find(std::string_view user, std::string_view kind,
                                         std::string_view key) const override {
    return memory_.find(user, kind, key);
  }
  [[nodiscard]] std::vector<std::pair<std::string, const xml::Element*>>
  list(std::string_view user, std::string_view kind) const override {
    return memory_.list(user, kind);
  }
  void put(std::string_view user, std::string_view kind, std::string_view key,
           xml::Element value) override;
  void remove(std::string_view user, std::string_view kind, std::string_view key) override;

private:
  store::Store& store_;
  boost::asio::any_io_executor store_writer_;
  const core::Clock& clock_;
  im::MemoryUserData memory_;
};

} // namespace starling::xmpp::server
