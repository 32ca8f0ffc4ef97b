// The state every listener and connection of one TransportLayer shares: configuration, metrics,
// callbacks and the connection table. Shared-owned so that coroutines still suspended when
// the TransportLayer goes away find it intact.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/clock.h"
#include "core/metrics.h"
#include "sip/parse_error.h"
#include "sip/parser.h"
#include "sip/transport/transport_config.h"
#include "sip/transport/transport_metrics.h"
#include "sip/transport/transport_types.h"

namespace starling::sip::detail {

class StreamConnection;
class StreamListener;
class UdpListener;

class TransportCore : public std::enable_shared_from_this<TransportCore> {
public:
  TransportCore(boost::asio::io_context& io, TransportConfig config, core::MetricsRegistry& metrics,
                const core::Clock& clock, TlsContexts tls);
  TransportCore(const TransportCore&) = delete;
  TransportCore& operator=(const TransportCore&) = delete;
  TransportCore(TransportCore&&) = delete;
  TransportCore& operator=(TransportCore&&) = delete;
  ~TransportCore();

  std::expected<void, TransportError> start();
  void stop();
  std::expected<Flow, TransportError> send(const Flow& flow, std::string bytes,
                                           SendCompletion on_sent);
  void mark_authenticated(ConnectionId id);
  [[nodiscard]] std::optional<std::uint16_t> local_port(TransportKind kind) const;
  [[nodiscard]] std::size_t connection_count() const { return connections_.size(); }

  void set_message_handler(MessageHandler handler) { on_message_ = std::move(handler); }
  void set_drop_predicate(DropPredicate predicate) { should_drop_ = std::move(predicate); }

  // For listeners and connections.
  boost::asio::io_context& io() { return io_; }
  [[nodiscard]] const TransportLimits& limits() const { return config_.limits; }
  TransportMetrics& metrics() { return metrics_; }
  [[nodiscard]] core::Clock::TimePoint now() const { return clock_.now(); }
  [[nodiscard]] bool running() const { return running_; }
  [[nodiscard]] const TlsContexts& tls() const { return tls_; }
  // Asks the drop predicate; counts a drop.
  bool should_drop(const boost::asio::ip::address& remote);
  // RFC 3261 §18.3/§18.1.2: parses one framed message and hands it on, or answers a broken
  // request with its 400 and drops a broken response.
  void deliver(std::string_view bytes, const Flow& flow, Framing framing);
  // Answers `bytes` with `status reason` when it is a request with a Via; counts `reason`.
  void reject(std::string_view bytes, const Flow& flow, const ParseError& error,
              RejectReason counted_as);
  // An accepted socket, admitted against the limits, or closed.
  void admit(boost::asio::ip::tcp::socket socket, TransportKind kind);
  // Called by a connection when it closes, so its table entry and counts go.
  void forget(const StreamConnection& connection);

private:
  boost::asio::awaitable<void> sweep();
  void sweep_once();
  std::shared_ptr<StreamConnection> find_connection(const Flow& flow) const;
  std::expected<std::shared_ptr<StreamConnection>, TransportError> connect(const Flow& flow);
  std::shared_ptr<StreamConnection> add_connection(const Flow& flow,
                                                   boost::asio::ip::tcp::socket socket,
                                                   boost::asio::ssl::context* tls_context);

  boost::asio::io_context& io_;
  TransportConfig config_;
  TransportMetrics metrics_;
  const core::Clock& clock_;
  TlsContexts tls_;
  MessageHandler on_message_;
  DropPredicate should_drop_;
  bool running_ = false;

  std::unique_ptr<UdpListener> udp_;
  std::unique_ptr<StreamListener> tcp_;
  std::unique_ptr<StreamListener> tls_listener_;
  boost::asio::steady_timer sweep_timer_;

  ConnectionId next_connection_id_ = 1;
  std::map<ConnectionId, std::shared_ptr<StreamConnection>> connections_;
  std::map<boost::asio::ip::address, std::size_t> connections_per_address_;
};

// co_spawn completion for the transport's coroutines: a coroutine that ends with an
// exception is a bug, logged rather than silently lost.
void log_coroutine_exception(const std::exception_ptr& error);

} // namespace starling::sip::detail
