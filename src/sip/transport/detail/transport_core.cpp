// The shared state of one TransportLayer: start/stop, inbound dispatch, sends and the sweep timer.
#include "sip/transport/detail/transport_core.h"

#include <array>
#include <exception>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include "sip/error_response.h"
#include "sip/transport/detail/listen_socket.h"
#include "sip/transport/detail/stream_connection.h"
#include "sip/transport/detail/stream_listener.h"
#include "sip/transport/detail/udp_listener.h"

namespace starling::sip::detail {

namespace {

namespace asio = boost::asio;
namespace ip = boost::asio::ip;
using State = StreamConnection::State;

std::unexpected<TransportError> fail(std::string message) {
  return std::unexpected(TransportError{std::move(message)});
}

// A To tag for stateless error replies (RFC 3261 §8.2.6.2); only unlikely to repeat, so
// 64 random bits are plenty.
std::string random_tag() {
  std::array<unsigned char, 8> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return "starling";
  }
  std::string tag;
  for (const unsigned char b : bytes) {
    fmt::format_to(std::back_inserter(tag), "{:02x}", b);
  }
  return tag;
}

bool is_response_bytes(std::string_view bytes) {
  const std::size_t start = bytes.find_first_not_of("\r\n");
  return start != std::string_view::npos && bytes.substr(start).starts_with("SIP/");
}

} // namespace

void log_coroutine_exception(const std::exception_ptr& error) {
  if (!error) {
    return;
  }
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    spdlog::error("sip transport: unexpected exception: {}", e.what());
  } catch (...) {
    spdlog::error("sip transport: unexpected exception");
  }
}

TransportCore::TransportCore(asio::io_context& io, TransportConfig config,
                             core::MetricsRegistry& metrics, const core::Clock& clock,
                             TlsContexts tls)
    : io_(io), config_(std::move(config)), metrics_(metrics), clock_(clock), tls_(tls),
      sweep_timer_(io) {}

TransportCore::~TransportCore() = default;

std::expected<void, TransportError> TransportCore::start() {
  if (running_ || udp_ || tcp_ || tls_listener_) {
    return fail("the SIP transport was started before; create a new one");
  }
  const auto address = parse_listen_address(config_.address);
  if (!address) {
    return std::unexpected(address.error());
  }
  if (config_.tls_port && tls_.server == nullptr) {
    return fail("sip.tls_port is set but no TLS certificate was loaded");
  }
  // Everything is bound before anything starts: a port in use leaves nothing half-open.
  if (config_.udp_port) {
    auto socket = open_udp_socket(io_, *address, *config_.udp_port, "sip.udp_port");
    if (!socket) {
      return std::unexpected(socket.error());
    }
    auto listener = UdpListener::create(*this, std::move(*socket), config_.udp_receive_window);
    if (!listener) {
      return std::unexpected(listener.error());
    }
    udp_ = std::move(*listener);
  }
  const auto open_stream =
      [&](std::uint16_t port, std::string_view key,
          TransportKind kind) -> std::expected<std::unique_ptr<StreamListener>, TransportError> {
    auto acceptor = open_tcp_acceptor(io_, *address, port, key);
    if (!acceptor) {
      return std::unexpected(acceptor.error());
    }
    return std::make_unique<StreamListener>(*this, std::move(*acceptor), kind);
  };
  for (const auto& [port, key, kind, slot] :
       {std::tuple{config_.tcp_port, "sip.tcp_port", TransportKind::tcp, &tcp_},
        std::tuple{config_.tls_port, "sip.tls_port", TransportKind::tls, &tls_listener_}}) {
    if (!port) {
      continue;
    }
    auto listener = open_stream(*port, key, kind);
    if (!listener) {
      udp_.reset();
      tcp_.reset();
      return std::unexpected(listener.error());
    }
    *slot = std::move(*listener);
  }
  running_ = true;
  for (StreamListener* listener : {tcp_.get(), tls_listener_.get()}) {
    if (listener != nullptr) {
      listener->start();
    }
  }
  if (udp_) {
    udp_->start();
  }
  asio::co_spawn(io_, sweep(), log_coroutine_exception);
  return {};
}

void TransportCore::stop() {
  if (!running_) {
    return;
  }
  running_ = false;
  if (udp_) {
    udp_->close();
  }
  for (StreamListener* listener : {tcp_.get(), tls_listener_.get()}) {
    if (listener != nullptr) {
      listener->close();
    }
  }
  sweep_timer_.cancel();
  const auto open = connections_; // close() removes entries
  for (const auto& [id, connection] : open) {
    connection->close(asio::error::operation_aborted);
  }
}

std::optional<std::uint16_t> TransportCore::local_port(TransportKind kind) const {
  switch (kind) {
  case TransportKind::udp:
    return udp_ ? std::optional(udp_->local_port()) : std::nullopt;
  case TransportKind::tcp:
    return tcp_ ? std::optional(tcp_->local_port()) : std::nullopt;
  case TransportKind::tls:
    return tls_listener_ ? std::optional(tls_listener_->local_port()) : std::nullopt;
  }
  return std::nullopt;
}

bool TransportCore::should_drop(const ip::address& remote) {
  if (should_drop_ && should_drop_(remote)) {
    metrics_.rejected(RejectReason::dropped_by_policy).increment();
    return true;
  }
  return false;
}

void TransportCore::deliver(std::string_view bytes, const Flow& flow, Framing framing) {
  auto message = parse_message(bytes, framing);
  if (!message) {
    const bool response = !message.error().can_reply && is_response_bytes(bytes);
    reject(bytes, flow, message.error(),
           response ? RejectReason::malformed_response : RejectReason::malformed_request);
    return;
  }
  metrics_.received(flow.transport).increment();
  if (!on_message_) {
    return;
  }
  // A handler that throws has a bug; it must not take the UDP socket's receive loop (and so
  // every UDP peer) down with it.
  try {
    on_message_(std::move(*message), flow);
  } catch (const std::exception& e) {
    spdlog::error("sip {}: message handler failed: {}", to_string(flow), e.what());
  }
}

void TransportCore::reject(std::string_view bytes, const Flow& flow, const ParseError& error,
                           RejectReason counted_as) {
  metrics_.rejected(counted_as).increment();
  spdlog::debug("sip {}: refused: {} {}", to_string(flow), error.status, error.reason);
  if (auto reply = build_error_response(bytes, error, random_tag())) {
    (void)send(flow, std::move(*reply), {});
  }
}

asio::awaitable<void> TransportCore::sweep() {
  const auto self = shared_from_this();
  while (running_) {
    sweep_timer_.expires_after(config_.limits.sweep_interval);
    auto [error] = co_await sweep_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (error || !running_) {
      break;
    }
    sweep_once();
  }
}

void TransportCore::sweep_once() {
  const auto now = clock_.now();
  const auto& limits = config_.limits;
  const auto open = connections_; // close() removes entries
  for (const auto& [id, connection] : open) {
    const auto in_state = now - connection->state_since();
    switch (connection->state()) {
    case State::connecting:
    case State::handshaking:
      if (in_state >= limits.handshake_timeout) {
        metrics_.rejected(RejectReason::handshake_timeout).increment();
        connection->close(asio::error::timed_out);
      }
      break;
    case State::open:
      if (now - connection->last_activity() >= limits.idle_timeout) {
        metrics_.idle_closed().increment(); // RFC 5626 §4.4: no keep-alives, no flow
        connection->close(asio::error::timed_out);
      }
      break;
    case State::closing: // the peer had its time to read the error reply
      if (in_state >= limits.handshake_timeout) {
        connection->close(asio::error::timed_out);
      }
      break;
    case State::closed:
      break;
    }
  }
}

} // namespace starling::sip::detail
