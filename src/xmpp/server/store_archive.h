// Users' and rooms' message archives (XEP-0313) kept in the store: written behind the router,
// queried on worker threads, trimmed to the retention the operator set.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/clock.h"
#include "store/store.h"
#include "xmpp/im/message_archive.h"

namespace starling::xmpp::server {

// Runs on the router's thread. The store is used only through `store_worker`, an executor
// that runs one task at a time in order (a strand of worker threads): a query then sees every
// message archived before it, and a slow disk never holds up the router. Answers come back
// through `router_thread`. Owned by shared_ptr so that a late answer can tell it is gone.
class StoreArchive final : public im::MessageArchive,
                           public std::enable_shared_from_this<StoreArchive> {
public:
  // Owners at `room_domain` are group chat rooms (XEP-0313 §5), all others local users.
  StoreArchive(store::Store& store, boost::asio::any_io_executor store_worker,
               boost::asio::any_io_executor router_thread, const core::Clock& clock,
               std::string room_domain);

  std::string add(const Jid& owner, const Jid& with, const xml::Element& message) override;
  void query(const Jid& owner, const im::ArchiveFilter& filter,
             std::function<void(const im::ArchiveAnswer&)> answer) override;

  // Deletes messages older than `retention` now and then once a day; zero keeps them all.
  void start_retention(std::chrono::days retention);
  void stop_retention();

private:
  void remove_expired(std::chrono::days retention);
  [[nodiscard]] bool is_room(const Jid& owner) const { return owner.domain() == room_domain_; }

  store::Store& store_;
  boost::asio::any_io_executor store_worker_;
  boost::asio::any_io_executor router_thread_;
  const core::Clock& clock_;
  boost::asio::steady_timer retention_timer_;
  std::string room_domain_;
};

} // namespace starling::xmpp::server
