// The SIP transport layer (RFC 3261 §18): listens on UDP, TCP and TLS, frames and parses what
// arrives, hands each message on with its flow, and sends on flows (RFC 5626).
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "core/clock.h"
#include "core/metrics.h"
#include "sip/transport/flow.h"
#include "sip/transport/transport_config.h"
#include "sip/transport/transport_types.h"

namespace starling::sip {

namespace detail {
class TransportCore;
}

// Runs on one io_context (a signalling shard) and never blocks it. All methods are called
// from that io_context's thread. The metrics registry, the clock and the TLS contexts must
// outlive the TransportLayer.
class TransportLayer {
public:
  TransportLayer(boost::asio::io_context& io, TransportConfig config,
                 core::MetricsRegistry& metrics, const core::Clock& clock, TlsContexts tls = {});
  TransportLayer(const TransportLayer&) = delete;
  TransportLayer& operator=(const TransportLayer&) = delete;
  TransportLayer(TransportLayer&&) = delete;
  TransportLayer& operator=(TransportLayer&&) = delete;
  // Stops. Coroutines still suspended hold shared state, never the TransportLayer itself.
  ~TransportLayer();

  // Set before start().
  void set_message_handler(MessageHandler handler);
  void set_drop_predicate(DropPredicate should_drop);

  // Binds every configured port, then starts receiving. On failure nothing stays open and
  // the error names the setting ("sip.udp_port 5060 on 127.0.0.1 is in use by another
  // program"). Once only: a stopped TransportLayer is not started again.
  std::expected<void, TransportError> start();

  // Closes listeners and connections and cancels timers; what is still suspended finishes
  // with operation_aborted on the io_context's next turns (well within 2 s).
  void stop();

  // UDP: sendto from the listening socket. TCP/TLS: queued on the flow's connection if it is
  // still open, else on another open one to the same remote address and port, else on a new
  // connection to it (RFC 3261 §18.2.2). Returns the flow the bytes went on (for a new
  // connection: its id; its local end is known once connected), or an error when nothing
  // was queued. Failures after that (connect refused, connection lost) reach on_sent.
  std::expected<Flow, TransportError> send(const Flow& flow, std::string bytes,
                                           SendCompletion on_sent = {});

  // The connection carried an authenticated request (or comes from a trusted peer): its
  // messages may now be max_message_size rather than max_unauthenticated_message_size.
  void mark_authenticated(ConnectionId connection);

  // The bound port (useful with port 0); nothing when that transport is off or not started.
  [[nodiscard]] std::optional<std::uint16_t> local_port(TransportKind kind) const;
  // Open TCP and TLS connections, both directions.
  [[nodiscard]] std::size_t connection_count() const;

private:
  std::shared_ptr<detail::TransportCore> core_;
};

} // namespace starling::sip
