// The connection table of TransportCore: admitting accepted connections against the limits,
// reusing connections for sends (RFC 5626 §5.3) and opening new ones (RFC 3261 §18.2.2).
#include <boost/asio/ip/tcp.hpp>
#include <fmt/format.h>

#include "sip/transport/detail/stream_connection.h"
#include "sip/transport/detail/transport_core.h"
#include "sip/transport/detail/udp_listener.h"

namespace starling::sip::detail {

namespace {

namespace asio = boost::asio;
namespace ip = boost::asio::ip;
using State = StreamConnection::State;

std::unexpected<TransportError> fail(std::string message) {
  return std::unexpected(TransportError{std::move(message)});
}

bool can_carry_more(const StreamConnection& connection) {
  return connection.state() != State::closing && connection.state() != State::closed;
}

} // namespace

void TransportCore::admit(ip::tcp::socket socket, TransportKind kind) {
  boost::system::error_code error;
  const auto remote = socket.remote_endpoint(error);
  const auto local = socket.local_endpoint(error);
  if (error) {
    return; // the peer left already
  }
  const ip::address address = unmapped(remote.address());
  if (should_drop(address)) {
    return; // the socket closes as it goes out of scope
  }
  if (connections_.size() >= config_.limits.max_connections) {
    metrics_.rejected(RejectReason::connection_limit).increment();
    return;
  }
  if (const auto it = connections_per_address_.find(address);
      it != connections_per_address_.end() &&
      it->second >= config_.limits.max_connections_per_address) {
    metrics_.rejected(RejectReason::address_limit).increment();
    return;
  }
  // Messages are written whole; Nagle would only delay a reply behind the previous one.
  socket.set_option(ip::tcp::no_delay(true), error);
  const Flow flow{
      kind, address, remote.port(), unmapped(local.address()), local.port(), next_connection_id_};
  auto connection =
      add_connection(flow, std::move(socket), kind == TransportKind::tls ? tls_.server : nullptr);
  connection->start_accepted();
}

std::shared_ptr<StreamConnection> TransportCore::add_connection(const Flow& flow,
                                                                ip::tcp::socket socket,
                                                                asio::ssl::context* tls_context) {
  ++next_connection_id_;
  auto connection =
      std::make_shared<StreamConnection>(shared_from_this(), flow, std::move(socket), tls_context);
  connections_.emplace(flow.connection_id, connection);
  ++connections_per_address_[flow.remote_address];
  metrics_.connections(flow.transport).add(1);
  return connection;
}

void TransportCore::forget(const StreamConnection& connection) {
  const Flow& flow = connection.flow();
  if (connections_.erase(flow.connection_id) == 0) {
    return;
  }
  metrics_.connections(flow.transport).add(-1);
  const auto it = connections_per_address_.find(flow.remote_address);
  if (it != connections_per_address_.end() && --it->second == 0) {
    connections_per_address_.erase(it);
  }
}

void TransportCore::mark_authenticated(ConnectionId id) {
  if (const auto it = connections_.find(id); it != connections_.end()) {
    it->second->mark_authenticated();
  }
}

std::shared_ptr<StreamConnection> TransportCore::find_connection(const Flow& flow) const {
  if (const auto it = connections_.find(flow.connection_id);
      it != connections_.end() && it->second->flow().transport == flow.transport &&
      can_carry_more(*it->second)) {
    return it->second;
  }
  // The flow's own connection is gone: any other to the same peer will do (RFC 3261 §18.2.2
  // prefers an existing connection), unless the send names a server another connection did
  // not prove to be. Linear, but only on this fallback path.
  const ip::address remote = unmapped(flow.remote_address);
  for (const auto& [id, connection] : connections_) {
    const Flow& other = connection->flow();
    if (other.transport == flow.transport && other.remote_address == remote &&
        other.remote_port == flow.remote_port && can_carry_more(*connection) &&
        (flow.server_name.empty() || other.server_name == flow.server_name)) {
      return connection;
    }
  }
  return nullptr;
}

std::expected<std::shared_ptr<StreamConnection>, TransportError>
TransportCore::connect(const Flow& flow) {
  const ip::address remote = unmapped(flow.remote_address);
  const std::string where =
      fmt::format("{} {}:{}", to_string(flow.transport), remote.to_string(), flow.remote_port);
  if (flow.transport == TransportKind::tls && tls_.client == nullptr) {
    return fail("cannot open a TLS connection to " + where + ": no TLS client context");
  }
  if (remote.is_unspecified() || flow.remote_port == 0) {
    return fail("cannot connect to " + where + ": no address or port");
  }
  if (connections_.size() >= config_.limits.max_connections) {
    metrics_.rejected(RejectReason::connection_limit).increment();
    return fail("cannot connect to " + where + ": connection limit reached");
  }
  ip::tcp::socket socket(io_);
  boost::system::error_code error;
  socket.open(remote.is_v4() ? ip::tcp::v4() : ip::tcp::v6(), error);
  if (!error) {
    socket.set_option(ip::tcp::no_delay(true), error);
  }
  if (error) {
    return fail("cannot connect to " + where + ": " + error.message());
  }
  Flow outbound{flow.transport, remote, flow.remote_port, {}, 0, next_connection_id_};
  outbound.server_name = flow.server_name;
  auto connection = add_connection(outbound, std::move(socket), tls_.client);
  connection->start_outbound();
  return connection;
}

std::expected<Flow, TransportError> TransportCore::send(const Flow& flow, std::string bytes,
                                                        SendCompletion on_sent) {
  if (!running_) {
    return fail("the SIP transport is stopped");
  }
  if (flow.transport == TransportKind::udp) {
    if (!udp_) {
      return fail("SIP over UDP is off (sip.udp_port)");
    }
    return udp_->send(flow, std::move(bytes), std::move(on_sent));
  }
  auto connection = find_connection(flow);
  if (!connection) {
    auto opened = connect(flow);
    if (!opened) {
      return std::unexpected(opened.error());
    }
    connection = std::move(*opened);
  }
  if (!connection->queue(std::move(bytes), std::move(on_sent))) {
    return fail(fmt::format("{}: connection closed (the peer does not read)", to_string(flow)));
  }
  return connection->flow();
}

} // namespace starling::sip::detail
