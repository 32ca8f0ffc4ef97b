// What every client connection of the XMPP service shares: the settings, the router and the
// limits. Connections hold it by shared_ptr, so it outlives the last one however the
// service stops.
#pragma once

#include <map>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>

#include "xmpp/c2s/client_stream.h"
#include "xmpp/im/directory_roster.h"
#include "xmpp/im/router.h"
#include "xmpp/server/offline_queue.h"
#include "xmpp/server/pre_auth_limit.h"
#include "xmpp/server/store_credentials.h"
#include "xmpp/server/xmpp_metrics.h"

namespace starling::xmpp::server {

class ClientConnection;

struct ServiceState {
  ServiceState(c2s::ClientStreamSettings settings, store::Store& store,
               boost::asio::ssl::context& tls_context, boost::asio::any_io_executor worker_pool,
               const core::Clock& clock, core::MetricsRegistry& registry)
      : stream_settings(std::move(settings)), credentials(store), tls(tls_context),
        workers(std::move(worker_pool)),
        offline(stream_settings.domain, store, boost::asio::make_strand(workers), clock),
        roster(stream_settings.domain, {}), router(stream_settings.domain, roster, offline),
        metrics(registry) {}

  c2s::ClientStreamSettings stream_settings;
  StoreCredentials credentials;
  boost::asio::ssl::context& tls;
  // Where blocking work goes: SASL steps (argon2id, the store) and the store's writes.
  boost::asio::any_io_executor workers;
  OfflineQueue offline;
  im::DirectoryRoster roster;
  im::Router router;
  PreAuthLimit pre_auth;
  XmppMetrics metrics;
  // The open connections, to close them when the service stops.
  std::map<const ClientConnection*, std::weak_ptr<ClientConnection>> connections;
};

} // namespace starling::xmpp::server
