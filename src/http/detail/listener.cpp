// Listening sockets of the HTTP server and their accept loops.
#include "http/detail/listener.h"

#include <chrono>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace starling::http::detail {

namespace asio = boost::asio;
namespace ip = asio::ip;
using boost::system::error_code;

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
