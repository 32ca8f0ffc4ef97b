// What every connection of one HttpServer shares: limits, handlers, assets, metrics.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "http/connection_limiter.h"
#include "http/detail/event_hub.h"
#include "http/handler.h"
#include "http/http_metrics.h"
#include "http/limits.h"
#include "http/live_events.h"
#include "http/static_assets.h"
#include "http/tls_certificate.h"

namespace starling::http::detail {

struct ServerState {
  ServerState(const HttpLimits& server_limits, Handler& api_handler,
              EventStreamAuthorizer authorizer, std::span<const EmbeddedFile> files,
              core::MetricsRegistry& registry, TlsCertificate& tls)
      : limits(server_limits), api(api_handler), authorize_events(std::move(authorizer)),
        assets(files), metrics(registry),
        limiter(limits.connections, limits.connections_per_address, metrics), certificate(tls) {}

  const HttpLimits limits;
  Handler& api;
  const EventStreamAuthorizer authorize_events;
  const StaticAssets assets;
  HttpMetrics metrics;
  ConnectionLimiter limiter;
  TlsCertificate& certificate;
  EventHub events;
  // The HTTPS port redirects point to: the bound one (differs from the configured one
  // only when that was 0, in tests).
  std::atomic<std::uint16_t> https_port{0};
  // Handlers of their own paths (HttpServices::routes); set before the first connection.
  std::vector<Route> routes;

  // The route handler for `path`, or null for the API and the web UI.
  [[nodiscard]] Handler* route(std::string_view path) const {
    for (const auto& route : routes) {
      if (path.starts_with(route.prefix)) {
        return route.handler;
      }
    }
    return nullptr;
  }
};

} // namespace starling::http::detail
