// What every connection of one HttpServer shares: limits, handlers, assets, metrics.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>

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
};

} // namespace starling::http::detail
