// Opens a listening TCP port the way every Starling service does, with errors that say what
// to do.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace starling::net {

// `port_key` names the setting in messages ("http.https_port"). An IPv6 wildcard is dual
// stack; where the machine has no IPv6 it falls back to 0.0.0.0.
std::expected<boost::asio::ip::tcp::acceptor, std::string>
open_tcp_acceptor(const boost::asio::any_io_executor& executor, boost::asio::ip::address address,
                  std::uint16_t port, std::string_view port_key);

} // namespace starling::net
