// Opens a listening port and accepts connections onto their own strands, within the caps.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/connection_limiter.h"

namespace starling::http::detail {

// `port_key` names the setting in messages ("http.https_port"). An IPv6 wildcard is dual
// stack; where the machine has no IPv6 it falls back to 0.0.0.0. The acceptor has a strand
// of its own: it is closed from another thread when the server stops.
std::expected<boost::asio::ip::tcp::acceptor, std::string>
open_acceptor(boost::asio::io_context& io, boost::asio::ip::address address, std::uint16_t port,
              std::string_view port_key);

using StartSession =
    std::function<void(boost::asio::ip::tcp::socket, ConnectionLimiter::Admission)>;

// Accepts until the acceptor is closed; each connection gets its own strand of `io`. A
// connection over a cap is closed at once.
boost::asio::awaitable<void> accept_loop(boost::asio::io_context& io,
                                         boost::asio::ip::tcp::acceptor& acceptor,
                                         ConnectionLimiter& limiter, StartSession start);

} // namespace starling::http::detail
