// Registers the transport's metrics (names follow Prometheus conventions: _total counters).
#include "sip/transport/transport_metrics.h"

#include <string>

namespace starling::sip {

std::string_view to_string(RejectReason reason) {
  switch (reason) {
  case RejectReason::dropped_by_policy:
    return "dropped_by_policy";
  case RejectReason::malformed_request:
    return "malformed_request";
  case RejectReason::malformed_response:
    return "malformed_response";
  case RejectReason::too_large:
    return "too_large";
  case RejectReason::missing_content_length:
    return "missing_content_length";
  case RejectReason::connection_limit:
    return "connection_limit";
  case RejectReason::address_limit:
    return "address_limit";
  case RejectReason::tls_handshake_failed:
    return "tls_handshake_failed";
  case RejectReason::handshake_timeout:
    return "handshake_timeout";
  case RejectReason::send_queue_full:
    return "send_queue_full";
  }
  return "unknown";
}

TransportMetrics::TransportMetrics(core::MetricsRegistry& registry) {
  for (const TransportKind kind : {TransportKind::udp, TransportKind::tcp, TransportKind::tls}) {
    const core::MetricLabels labels{{"transport", std::string(to_string(kind))}};
    received_.at(index(kind)) = &registry.counter("starling_sip_messages_received_total",
                                                  "SIP messages received and parsed", labels);
    sent_.at(index(kind)) =
        &registry.counter("starling_sip_messages_sent_total", "SIP messages sent", labels);
    keepalives_.at(index(kind)) = &registry.counter(
        "starling_sip_keepalives_total", "Keep-alives received (CRLF, CRLFCRLF, STUN)", labels);
    connections_.at(index(kind)) =
        &registry.gauge("starling_sip_connections", "Open SIP TCP/TLS connections", labels);
  }
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) {
    const auto reason = static_cast<RejectReason>(i);
    rejected_.at(i) =
        &registry.counter("starling_sip_messages_rejected_total", "SIP input refused, by reason",
                          {{"reason", std::string(to_string(reason))}});
  }
  idle_closed_ = &registry.counter("starling_sip_connections_idle_closed_total",
                                   "SIP connections closed after the idle timeout");
}

} // namespace starling::sip
