// Registers the HTTP server's metrics once, so requests only bump counters.
#include "http/http_metrics.h"

#include <string>

namespace starling::http {

namespace {

constexpr std::array kRejectionNames = {"connection_limit", "address_limit",   "tls_handshake",
                                        "header_too_large", "body_too_large",  "header_timeout",
                                        "bad_request",      "event_queue_full"};

} // namespace

HttpMetrics::HttpMetrics(core::MetricsRegistry& registry)
    : connections(registry.gauge("starling_http_connections", "Open HTTP and HTTPS connections")),
      event_streams(registry.gauge("starling_http_event_streams",
                                   "Open live event WebSockets (/api/v1/events)")),
      events_sent(registry.counter("starling_http_events_sent_total",
                                   "Live events queued for WebSocket clients")) {
  static_assert(kRejectionNames.size() == std::tuple_size_v<decltype(rejections_)>);
  for (std::size_t i = 0; i < kRejectionNames.size(); ++i) {
    rejections_.at(i) = &registry.counter("starling_http_rejected_total",
                                          "Connections and requests the HTTP server refused",
                                          {{"reason", kRejectionNames.at(i)}});
  }
  for (std::size_t i = 0; i < responses_.size(); ++i) {
    responses_.at(i) =
        &registry.counter("starling_http_responses_total", "HTTP responses sent, by status class",
                          {{"class", std::to_string(i + 1) + "xx"}});
  }
}

void HttpMetrics::respond(Status status) {
  const auto index = static_cast<unsigned>(status) / 100;
  if (index >= 1 && index <= responses_.size()) {
    responses_.at(index - 1)->increment();
  }
}

} // namespace starling::http
