// Offline messages (RFC 6121 §8.5.2.2) held in memory for the router and written behind to
// the store, so a restart delivers them all the same.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "core/clock.h"
#include "store/store.h"
#include "xmpp/im/offline_store.h"

namespace starling::xmpp::server {

// At most this many messages wait for one user; later ones are dropped (and logged), so a
// client cannot fill the disk by writing to a colleague who is away.
inline constexpr std::size_t kMaxOfflineMessagesPerUser = 500;

// Runs on the router's thread. The store is written through `store_writer`, an executor
// that runs one task at a time in order (a strand of worker threads): a message stored
// before a take() is then in the store before the take's removal is.
class OfflineQueue final : public im::OfflineStore {
public:
  OfflineQueue(std::string domain, store::Store& store, boost::asio::any_io_executor store_writer,
               const core::Clock& clock);

  // Reads what the last run left; false (and logged) when the store cannot be read.
  bool load();

  void store(const Jid& to, xml::Element message) override;
  std::vector<xml::Element> take(const Jid& user) override;

  [[nodiscard]] std::size_t size() const;

private:
  std::string domain_;
  store::Store& store_;
  boost::asio::any_io_executor store_writer_;
  const core::Clock& clock_;
  // Localpart → messages, oldest first, each stamped with its <delay/>.
  std::map<std::string, std::vector<xml::Element>, std::less<>> waiting_;
};

} // namespace starling::xmpp::server
