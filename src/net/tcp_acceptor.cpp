// Opens a listening TCP port the way every Starling service does.
#include "net/tcp_acceptor.h"

#include <boost/asio/ip/v6_only.hpp>
#include <fmt/format.h>

namespace starling::net {

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

std::expected<ip::tcp::acceptor, std::string>
open_tcp_acceptor(const asio::any_io_executor& executor, ip::address address, std::uint16_t port,
                  std::string_view port_key) {
  ip::tcp::acceptor acceptor(executor);
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

} // namespace starling::net
