// Offline messages: stamped with XEP-0203 <delay/>, kept per user, persisted in order.
#include "xmpp/server/offline_queue.h"

#include <limits>
#include <utility>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "xmpp/date_time.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/xml/document.h"

namespace starling::xmpp::server {

namespace {

// The store's id of the user a localpart names; nothing (logged) when there is none.
std::optional<store::Id> user_id(store::Store& store, const std::string& localpart) {
  auto user = store.find_user(localpart);
  if (!user || !*user) {
    spdlog::warn("xmpp: offline messages for {} not written: {}", localpart,
                 user ? "no such user" : user.error().message);
    return std::nullopt;
  }
  return (*user)->id;
}

} // namespace

OfflineQueue::OfflineQueue(std::string domain, store::Store& store,
                           boost::asio::any_io_executor store_writer, const core::Clock& clock)
    : domain_(std::move(domain)), store_(store), store_writer_(std::move(store_writer)),
      clock_(clock) {}

bool OfflineQueue::load() {
  auto users = store_.list_users();
  auto messages = store_.list_offline_messages();
  if (!users || !messages) {
    spdlog::error("xmpp: cannot read the offline messages: {}",
                  (users ? messages.error() : users.error()).message);
    return false;
  }
  std::map<store::Id, std::string> names;
  for (const auto& user : *users) {
    names.emplace(user.id, user.name);
  }
  for (const auto& stored : *messages) {
    auto message = xml::parse_document(stored.stanza);
    const auto name = names.find(stored.user_id);
    if (!message || name == names.end()) {
      spdlog::warn("xmpp: offline message {} in the store cannot be read; skipped", stored.id);
      continue;
    }
    waiting_[name->second].push_back(std::move(*message));
  }
  if (!messages->empty()) {
    spdlog::info("xmpp: {} offline messages waiting for {} users", messages->size(),
                 waiting_.size());
  }
  return true;
}

void OfflineQueue::store(const Jid& to, xml::Element message) {
  auto& queue = waiting_[to.local()];
  if (queue.size() >= kMaxOfflineMessagesPerUser) {
    spdlog::warn("xmpp: {} has {} offline messages waiting; a message from {} was dropped",
                 to.to_string(), queue.size(), message.attribute("from").value_or(""));
    return;
  }
  const auto now = clock_.system_now();
  // XEP-0203 §3: the delay is the server's, with when the message was stored.
  message.append(xml::Element(im::kDelayNamespace, "delay")
                     .set_attribute("from", domain_)
                     .set_attribute("stamp", to_date_time(now)));
  boost::asio::post(store_writer_, [&store = store_, name = to.local(),
                                    document = xml::to_document(message),
                                    at = core::unix_seconds(now)] {
    if (const auto id = user_id(store, name)) {
      if (auto added = store.add_offline_message(*id, document, at); !added) {
        spdlog::error("xmpp: offline message for {} not written: {}", name, added.error().message);
      }
    }
  });
  queue.push_back(std::move(message));
}

std::vector<xml::Element> OfflineQueue::take(const Jid& user) {
  auto found = waiting_.find(user.local());
  if (found == waiting_.end()) {
    return {};
  }
  auto messages = std::move(found->second);
  waiting_.erase(found);
  boost::asio::post(store_writer_, [&store = store_, name = user.local()] {
    if (const auto id = user_id(store, name)) {
      // Everything stored so far has been written: this task runs after theirs.
      if (auto removed = store.remove_offline_messages(*id, std::numeric_limits<store::Id>::max());
          !removed) {
        spdlog::error("xmpp: delivered offline messages of {} not removed: {}", name,
                      removed.error().message);
      }
    }
  });
  return messages;
}

std::size_t OfflineQueue::size() const {
  std::size_t total = 0;
  for (const auto& [name, queue] : waiting_) {
    total += queue.size();
  }
  return total;
}

} // namespace starling::xmpp::server
