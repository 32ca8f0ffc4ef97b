// One connection on each port: HTTPS requests (and the event WebSocket), or the redirect.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/connection_limiter.h"
#include "http/detail/server_state.h"

namespace starling::http::detail {

// TLS handshake, then requests until the client leaves, keep-alive ends or a limit is hit.
boost::asio::awaitable<void> serve_https(boost::asio::ip::tcp::socket socket,
                                         ConnectionLimiter::Admission admission,
                                         ServerState& state);

// Every request gets the redirect to HTTPS.
boost::asio::awaitable<void> serve_redirect(boost::asio::ip::tcp::socket socket,
                                            ConnectionLimiter::Admission admission,
                                            ServerState& state);

} // namespace starling::http::detail
