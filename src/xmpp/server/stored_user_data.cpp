#include "xmpp/server/stored_user_data.h"

#include <string>
#include <utility>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "xmpp/xml/document.h"

namespace starling::xmpp::server {

StoredUserData::StoredUserData(store::Store& store, boost::asio::any_io_executor store_writer,
                               const core::Clock& clock)
    : store_(store), store_writer_(std::move(store_writer)), clock_(clock) {}

void StoredUserData::load() {
  auto stored = store_.list_xmpp_user_items();
  if (!stored) {
    spdlog::error("xmpp: cannot read the users' stored data (contacts, vCards ...): {}",
                  stored.error().message);
    return;
  }
  for (const auto& item : *stored) {
    auto value = xml::parse_document(item.value);
    if (!value) {
      spdlog::warn("xmpp: stored {} entry '{}' of {} cannot be read; skipped", item.kind, item.key,
                   item.user);
      continue;
    }
    memory_.put(item.user, item.kind, item.key, std::move(*value));
  }
}

void StoredUserData::put(std::string_view user, std::string_view kind, std::string_view key,
                         xml::Element value) {
  store::XmppUserItem row{.user = std::string(user),
                          .kind = std::string(kind),
                          .key = std::string(key),
                          .value = xml::to_document(value),
                          .updated_at = core::unix_seconds(clock_.system_now())};
  memory_.put(user, kind, key, std::move(value));
  boost::asio::post(store_writer_, [&store = store_, row = std::move(row)] {
    if (auto saved = store.put_xmpp_user_item(row); !saved) {
      spdlog::error("xmpp: {} entry '{}' of {} not written: {}", row.kind, row.key, row.user,
                    saved.error().message);
    }
  });
}

void StoredUserData::remove(std::string_view user, std::string_view kind, std::string_view key) {
  memory_.remove(user, kind, key);
  boost::asio::post(store_writer_, [&store = store_, user = std::string(user),
                                    kind = std::string(kind), key = std::string(key)] {
    if (auto removed = store.remove_xmpp_user_item(user, kind, key); !removed) {
      spdlog::error("xmpp: {} entry '{}' of {} not removed: {}", kind, key, user,
                    removed.error().message);
    }
  });
}

} // namespace starling::xmpp::server
