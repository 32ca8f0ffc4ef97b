// Message archives over the store: random archive ids, writes and queries on the store's
// worker strand, daily retention.
#include "xmpp/server/store_archive.h"

#include <array>
#include <optional>
#include <stdexcept>
#include <utility>

#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include "xmpp/xml/document.h"

namespace starling::xmpp::server {

namespace asio = boost::asio;

namespace {

// 128 random bits: ids are not secrets, but one user must not guess another's (XEP-0359 §6).
constexpr std::size_t kArchiveIdBytes = 16;
constexpr auto kRetentionInterval = std::chrono::hours(24);

std::string random_archive_id() {
  std::array<unsigned char, kArchiveIdBytes> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("the system's random number generator failed");
  }
  return fmt::format("{:02x}", fmt::join(random, ""));
}

// Whose archive: a user's by localpart, or a room's by name.
struct Owner {
  std::string name;
  bool room = false;
};

// The store's id of the user a localpart names; nothing (logged) when there is none.
std::optional<store::Id> user_id(store::Store& store, const std::string& localpart) {
  auto user = store.find_user(localpart);
  if (!user || !*user) {
    spdlog::warn("xmpp: archive of {} not available: {}", localpart,
                 user ? "no such user" : user.error().message);
    return std::nullopt;
  }
  return (*user)->id;
}

// A user's archive keeps the other party's bare JID; a room's the occupant's room/nick.
store::ArchiveQuery store_query(const im::ArchiveFilter& filter, bool room) {
  store::ArchiveQuery query{.after = filter.after, .before = filter.before, .limit = filter.max};
  if (filter.with) {
    query.with = (room ? *filter.with : filter.with->bare()).to_string();
  }
  if (filter.start) {
    query.start = core::unix_seconds(*filter.start);
  }
  if (filter.end) {
    query.end = core::unix_seconds(*filter.end);
  }
  return query;
}

// Runs on the store's strand.
im::ArchiveAnswer read_page(store::Store& store, const Owner& owner,
                            const im::ArchiveFilter& filter) {
  using enum im::StanzaErrorCondition;
  auto query = store_query(filter, owner.room);
  if (owner.room) {
    query.room = owner.name;
  } else if (const auto id = user_id(store, owner.name)) {
    query.user = *id;
  } else {
    return im::ArchivePage{.complete = true};
  }
  auto page = store.query_archive(query);
  if (!page) {
    if (page.error().kind == store::StoreError::Kind::not_found) {
      return std::unexpected(item_not_found); // XEP-0313 §4.3.2: unknown after/before
    }
    spdlog::error("xmpp: archive of {} cannot be read: {}", owner.name, page.error().message);
    return std::unexpected(service_unavailable);
  }
  im::ArchivePage answer{.complete = page->complete, .count = page->count};
  for (auto& stored : page->messages) {
    auto message = xml::parse_document(stored.stanza);
    if (!message) {
      spdlog::warn("xmpp: archived message {} cannot be read; skipped", stored.archive_id);
      continue;
    }
    answer.messages.push_back(
        {.id = std::move(stored.archive_id),
         .stored_at = std::chrono::system_clock::time_point(std::chrono::seconds(stored.stored_at)),
         .message = std::move(*message)});
  }
  return answer;
}

} // namespace

StoreArchive::StoreArchive(store::Store& store, asio::any_io_executor store_worker,
                           asio::any_io_executor router_thread, const core::Clock& clock,
                           std::string room_domain)
    : store_(store), store_worker_(std::move(store_worker)),
      router_thread_(std::move(router_thread)), clock_(clock), retention_timer_(router_thread_),
      room_domain_(std::move(room_domain)) {}

std::string StoreArchive::add(const Jid& owner, const Jid& with, const xml::Element& message) {
  auto archive_id = random_archive_id();
  const bool room = is_room(owner);
  asio::post(store_worker_, [&store = store_, name = owner.local(), room,
                             row = store::ArchivedMessage{
                                 .archive_id = archive_id,
                                 .with_jid = (room ? with : with.bare()).to_string(),
                                 .stanza = xml::to_document(message),
                                 .stored_at = core::unix_seconds(clock_.system_now())}]() mutable {
    if (room) {
      row.room = name;
    } else if (const auto id = user_id(store, name)) {
      row.user_id = *id;
    } else {
      return;
    }
    if (auto added = store.add_archived_message(row); !added) {
      spdlog::error("xmpp: message not archived for {}: {}", name, added.error().message);
    }
  });
  return archive_id;
}

void StoreArchive::query(const Jid& owner, const im::ArchiveFilter& filter,
                         std::function<void(const im::ArchiveAnswer&)> answer) {
  asio::post(store_worker_, [self = weak_from_this(), &store = store_,
                             owner = Owner{.name = owner.local(), .room = is_room(owner)}, filter,
                             answer = std::move(answer), router_thread = router_thread_]() mutable {
    auto page = read_page(store, owner, filter);
    asio::post(router_thread,
               [self = std::move(self), answer = std::move(answer), page = std::move(page)] {
                 if (self.lock()) { // the router lives as long as this archive
                   answer(page);
                 }
               });
  });
}

void StoreArchive::start_retention(std::chrono::days retention) {
  if (retention.count() == 0) {
    return;
  }
  remove_expired(retention);
  retention_timer_.expires_after(kRetentionInterval);
  retention_timer_.async_wait([self = weak_from_this(), retention](const auto& error) {
    if (auto archive = self.lock(); archive && !error) {
      archive->start_retention(retention);
    }
  });
}

void StoreArchive::stop_retention() {
  retention_timer_.cancel();
}

void StoreArchive::remove_expired(std::chrono::days retention) {
  const auto cutoff = core::unix_seconds(clock_.system_now() - retention);
  asio::post(store_worker_, [&store = store_, cutoff] {
    if (auto removed = store.remove_archived_messages_before(cutoff); !removed) {
      spdlog::error("xmpp: old archived messages not removed: {}", removed.error().message);
    } else if (*removed > 0) {
      spdlog::info("xmpp: removed {} archived messages past their retention", *removed);
    }
  });
}

} // namespace starling::xmpp::server
