// The transport's Prometheus metrics, looked up once so the receive path only increments.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/metrics.h"
#include "sip/transport/flow.h"

namespace starling::sip {

// Why input was refused; the `reason` label of starling_sip_messages_rejected_total.
enum class RejectReason : std::uint8_t {
  dropped_by_policy,      // should_drop said so (banned address)
  malformed_request,      // did not parse; answered with 400 when it had a Via
  malformed_response,     // did not parse; dropped (RFC 3261 §18.1.2)
  too_large,              // over the message size limit
  missing_content_length, // on a stream (RFC 3261 §18.3)
  connection_limit,       // accept refused: too many connections in total
  address_limit,          // accept refused: too many connections from one address
  tls_handshake_failed,   // includes TLS 1.0/1.1 clients
  handshake_timeout,      // TLS handshake or outbound connect too slow
  send_queue_full,        // peer does not read what we send
};
inline constexpr std::size_t kRejectReasonCount = 10;

std::string_view to_string(RejectReason reason);

class TransportMetrics {
public:
  explicit TransportMetrics(core::MetricsRegistry& registry);

  core::Counter& received(TransportKind kind) { return *received_.at(index(kind)); }
  core::Counter& sent(TransportKind kind) { return *sent_.at(index(kind)); }
  core::Counter& keepalives(TransportKind kind) { return *keepalives_.at(index(kind)); }
  core::Gauge& connections(TransportKind kind) { return *connections_.at(index(kind)); }
  core::Counter& rejected(RejectReason reason) {
    return *rejected_.at(static_cast<std::size_t>(reason));
  }
  core::Counter& idle_closed() { return *idle_closed_; }

private:
  static std::size_t index(TransportKind kind) { return static_cast<std::size_t>(kind); }

  static constexpr std::size_t kKinds = 3;
  std::array<core::Counter*, kKinds> received_{};
  std::array<core::Counter*, kKinds> sent_{};
  std::array<core::Counter*, kKinds> keepalives_{};
  std::array<core::Gauge*, kKinds> connections_{};
  std::array<core::Counter*, kRejectReasonCount> rejected_{};
  core::Counter* idle_closed_ = nullptr;
};

} // namespace starling::sip
