// The XMPP service's Prometheus metrics.
#pragma once

#include "core/metrics.h"

namespace starling::xmpp::server {

struct XmppMetrics {
  explicit XmppMetrics(core::MetricsRegistry& registry)
      : connections(registry.gauge("starling_xmpp_connections", "Open XMPP client connections")),
        sessions(
            registry.gauge("starling_xmpp_sessions", "XMPP client streams with a bound resource")),
        logins(registry.counter("starling_xmpp_logins_total", "Successful XMPP logins")),
        login_failures(registry.counter("starling_xmpp_login_failures_total",
                                        "XMPP logins refused (wrong password or unknown user)")),
        refused_connections(registry.counter(
            "starling_xmpp_refused_connections_total",
            "XMPP connections closed at once: too many unauthenticated ones from the address")),
        stream_errors(registry.counter("starling_xmpp_stream_errors_total",
                                       "XMPP streams ended by the server with a stream error")),
        stanzas(registry.counter("starling_xmpp_stanzas_received_total",
                                 "Stanzas received from XMPP clients")) {}

  core::Gauge& connections;
  core::Gauge& sessions;
  core::Counter& logins;
  core::Counter& login_failures;
  core::Counter& refused_connections;
  core::Counter& stream_errors;
  core::Counter& stanzas;
};

} // namespace starling::xmpp::server
