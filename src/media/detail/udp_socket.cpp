// Raw non-blocking UDP sockets and socket addresses for the relay.
#include "media/detail/udp_socket.h"

#include <cerrno>
#include <cstring>

namespace starling::media::detail {

int family_of(const boost::asio::ip::address& address) {
  return address.is_v4() ? AF_INET : AF_INET6;
}

SocketAddress to_socket_address(const boost::asio::ip::udp::endpoint& endpoint, int family) {
  namespace ip = boost::asio::ip;
  SocketAddress result;
  ip::address address = endpoint.address();
  if (endpoint.port() == 0 || address.is_unspecified()) {
    return result;
  }
  if (family == AF_INET6 && address.is_v4()) {
    address = ip::make_address_v6(ip::v4_mapped, address.to_v4());
  } else if (family == AF_INET && address.is_v6()) {
    if (!address.to_v6().is_v4_mapped()) {
      return result;
    }
    address = ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  const ip::udp::endpoint converted(address, endpoint.port());
  std::memcpy(&result.storage, converted.data(), converted.size());
  result.length = static_cast<socklen_t>(converted.size());
  return result;
}

std::expected<core::UniqueFd, int> bind_udp(const boost::asio::ip::address& address,
                                            std::uint16_t port) {
  const int family = family_of(address);
  core::UniqueFd fd(::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    return std::unexpected(errno);
  }
  if (family == AF_INET6) {
    // Debian defaults to dual stack, but net.ipv6.bindv6only may say otherwise.
    const int v6only = 0;
    if (::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) != 0) {
      return std::unexpected(errno);
    }
  }
  const boost::asio::ip::udp::endpoint local(address, port);
  if (::bind(fd.get(), local.data(), static_cast<socklen_t>(local.size())) != 0) {
    return std::unexpected(errno);
  }
  return fd;
}

} // namespace starling::media::detail
