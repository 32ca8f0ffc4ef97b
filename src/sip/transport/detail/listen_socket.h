// Opens the listening sockets and turns bind failures into messages an operator can act on.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include "sip/transport/transport_types.h"

namespace starling::sip::detail {

std::expected<boost::asio::ip::address, TransportError>
parse_listen_address(const std::string& text);

// `port_key` names the setting in messages ("sip.udp_port"). An IPv6 wildcard is dual stack
// (IPV6_V6ONLY off); where the machine has no IPv6 it falls back to 0.0.0.0.
std::expected<boost::asio::ip::udp::socket, TransportError>
open_udp_socket(boost::asio::io_context& io, const boost::asio::ip::address& address,
                std::uint16_t port, std::string_view port_key);

std::expected<boost::asio::ip::tcp::acceptor, TransportError>
open_tcp_acceptor(boost::asio::io_context& io, const boost::asio::ip::address& address,
                  std::uint16_t port, std::string_view port_key);

} // namespace starling::sip::detail
