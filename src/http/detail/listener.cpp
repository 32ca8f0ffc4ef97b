// Listening sockets of the HTTP server and their accept loops.
#include "http/detail/listener.h"

#include <chrono>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace starling::http::detail {

namespace asio = boost::asio;
namespace ip = asio::ip;
using boost::system::error_code;

namespace {

std::string describe_bind_failure(std::string_view port_key, std::uint16_t port,
                                  const ip::address& address, const error_code& error) {
  const auto where = fmt::format("{} {} on {}", port_key, port, address.to_string());
  if (error == asio::error::address_in_use) {
    return where + " is in use by another program";
  }
  if (error == asio::error::access_denied) {
    return where + " is not allowed: ports below 1024 need root or CAP_NET_BIND_SERVICE; "
                   "choose another port or set network.port_offset";
  }
  return where + " cannot be opened: " + error.message();
}

} // namespace

std::expected<ip::tcp::acceptor, std::string> open_acceptor(asio::io_context& io,
                                                            ip::address address, std::uint16_t port,
                                                            std::string_view port_key) {
  ip::tcp::acceptor acceptor(asio::make_strand(io));
  error_code error;
  const bool v6_wildcard = address.is_v6() && address.is_unspecified();
  acceptor.open(address.is_v4() ? ip::tcp::v4() : ip::tcp::v6(), error);
  if (error == asio::error::address_family_not_supported && v6_wildcard) {
    address = ip::address_v4::any();
    acceptor.open(ip::tcp::v4(), error);
  }
  if (!error && address.is_v6() && address.is_unspecified()) {
    acceptor.set_option(ip::v6_only(false), error); // "::" accepts IPv4 clients too
  }
  if (!error) {
    // A restart may bind while old connections sit in TIME_WAIT.
    acceptor.set_option(asio::socket_base::reuse_address(true), error);
  }
  if (!error) {
    acceptor.bind(ip::tcp::endpoint(address, port), error);
  }
  if (!error) {
    acceptor.listen(asio::socket_base::max_listen_connections, error);
  }
  if (error) {
    return std::unexpected(describe_bind_failure(port_key, port, address, error));
  }
  return acceptor;
}

asio::awaitable<void> accept_loop(asio::io_context& io, ip::tcp::acceptor& acceptor,
                                  ConnectionLimiter& limiter, StartSession start) {
  while (acceptor.is_open()) {
    // Each connection gets a strand: the server runs several threads, and a WebSocket's
    // reader and writer must not run at once.
    auto [error, accepted] =
        co_await acceptor.async_accept(asio::make_strand(io), asio::as_tuple(asio::use_awaitable));
    if (error == asio::error::operation_aborted || !acceptor.is_open()) {
      co_return;
    }
    if (error) {
      // Out of file descriptors, most likely: wait for connections to close.
      spdlog::warn("http: cannot accept a connection: {}", error.message());
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    error_code peer_error;
    const auto peer = accepted.remote_endpoint(peer_error);
    if (peer_error) {
      continue;
    }
    if (auto admission = limiter.admit(peer.address())) {
      start(ip::tcp::socket(std::move(accepted)), std::move(*admission));
    }
  }
}

} // namespace starling::http::detail
