// Accepts connections onto their own strands, within the caps.
#pragma once

#include <functional>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/connection_limiter.h"

namespace starling::http::detail {

using StartSession =
    std::function<void(boost::asio::ip::tcp::socket, ConnectionLimiter::Admission)>;

// Accepts until the acceptor is closed; each connection gets its own strand of `io`. A
// connection over a cap is closed at once.
boost::asio::awaitable<void> accept_loop(boost::asio::io_context& io,
                                         boost::asio::ip::tcp::acceptor& acceptor,
                                         ConnectionLimiter& limiter, StartSession start);

} // namespace starling::http::detail
