// Listening sockets for UDP, TCP and TLS, with bind errors worded for the operator.
#include "sip/transport/detail/listen_socket.h"

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/socket_base.hpp>
#include <fmt/format.h>

namespace starling::sip::detail {

namespace {

namespace ip = boost::asio::ip;
using boost::system::error_code;

std::unexpected<TransportError> bind_failure(std::string_view port_key, std::uint16_t port,
                                             const ip::address& address, const error_code& error) {
  const std::string where = fmt::format("{} {} on {}", port_key, port, address.to_string());
  if (error == boost::asio::error::address_in_use) {
    return std::unexpected(TransportError{where + " is in use by another program"});
  }
  if (error == boost::asio::error::access_denied) {
    return std::unexpected(TransportError{
        where + " is not allowed: ports below 1024 need root or CAP_NET_BIND_SERVICE; choose "
                "another port or set network.port_offset"});
  }
  if (error == boost::system::errc::address_not_available) {
    return std::unexpected(TransportError{
        fmt::format("sip.address {} is not an address of this machine", address.to_string())});
  }
  return std::unexpected(TransportError{where + " cannot be opened: " + error.message()});
}

// The UDP socket's queue holds what arrives while the signalling thread is busy; the
// kernel's default (208 KiB, about 150 REGISTERs) overflowed within a burst in
// bench/run.py, and every dropped request costs the phone a 500 ms retransmission. The
// kernel caps this at net.core.rmem_max (docs/sip.md).
constexpr int kUdpReceiveBufferSize = 4 * 1024 * 1024;

bool is_v6_wildcard(const ip::address& address) {
  return address.is_v6() && address.is_unspecified();
}

// Opens, configures and binds `socket` for `address`; a wildcard IPv6 address on a machine
// without IPv6 becomes 0.0.0.0.
template <typename Socket, typename Protocol>
error_code open_and_bind(Socket& socket, ip::address address, std::uint16_t port,
                         bool reuse_address) {
  error_code error;
  socket.open(address.is_v4() ? Protocol::v4() : Protocol::v6(), error);
  if (error == boost::asio::error::address_family_not_supported && is_v6_wildcard(address)) {
    address = ip::address_v4::any();
    socket.open(Protocol::v4(), error);
  }
  if (error) {
    return error;
  }
  if (is_v6_wildcard(address)) {
    socket.set_option(ip::v6_only(false), error); // "::" accepts IPv4 peers too
  }
  if (!error && reuse_address) {
    // TCP only: a restart may bind while old connections sit in TIME_WAIT. Never on UDP,
    // where it would let two programs share the port silently.
    socket.set_option(boost::asio::socket_base::reuse_address(true), error);
  }
  if (!error) {
    socket.bind(typename Protocol::endpoint(address, port), error);
  }
  return error;
}

} // namespace

std::expected<ip::address, TransportError> parse_listen_address(const std::string& text) {
  error_code error;
  auto address = ip::make_address(text, error);
  if (error) {
    return std::unexpected(TransportError{
        fmt::format("sip.address '{}' is not an IP address (use \"::\" for every address)", text)});
  }
  return address;
}

std::expected<ip::udp::socket, TransportError> open_udp_socket(boost::asio::io_context& io,
                                                               const ip::address& address,
                                                               std::uint16_t port,
                                                               std::string_view port_key) {
  ip::udp::socket socket(io);
  const error_code error = open_and_bind<ip::udp::socket, ip::udp>(socket, address, port, false);
  if (error) {
    return bind_failure(port_key, port, address, error);
  }
  error_code ignored; // a smaller queue still works
  socket.set_option(boost::asio::socket_base::receive_buffer_size(kUdpReceiveBufferSize), ignored);
  return socket;
}

std::expected<ip::tcp::acceptor, TransportError> open_tcp_acceptor(boost::asio::io_context& io,
                                                                   const ip::address& address,
                                                                   std::uint16_t port,
                                                                   std::string_view port_key) {
  ip::tcp::acceptor acceptor(io);
  error_code error = open_and_bind<ip::tcp::acceptor, ip::tcp>(acceptor, address, port, true);
  if (!error) {
    acceptor.listen(boost::asio::socket_base::max_listen_connections, error);
  }
  if (error) {
    return bind_failure(port_key, port, address, error);
  }
  return acceptor;
}

} // namespace starling::sip::detail
