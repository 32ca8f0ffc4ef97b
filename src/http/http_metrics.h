// Counters of the HTTP server: connections, rejected requests, responses by status class.
#pragma once

#include <array>

#include "core/metrics.h"
#include "http/handler.h"

namespace starling::http {

// Why the server turned a client away before (or instead of) answering its request.
enum class Rejection {
  connection_limit, // too many connections in total
  address_limit,    // too many connections from one address
  tls_handshake,    // TLS 1.0/1.1, bad ciphers, not TLS at all, handshake too slow
  header_too_large, // 431
  body_too_large,   // 413
  header_timeout,   // header not complete in time (slowloris)
  bad_request,      // not HTTP/1.x: 400
  event_queue_full, // a live event stream fell too far behind
};

class HttpMetrics {
public:
  explicit HttpMetrics(core::MetricsRegistry& registry);

  void reject(Rejection why) { rejections_.at(static_cast<std::size_t>(why))->increment(); }
  void respond(Status status);

  core::Gauge& connections;
  core::Gauge& event_streams;
  core::Counter& events_sent;

private:
  std::array<core::Counter*, 8> rejections_{};
  std::array<core::Counter*, 5> responses_{}; // 1xx .. 5xx
};

} // namespace starling::http
