// Raw non-blocking UDP sockets and socket addresses for the relay, which uses recvmmsg and
// sendmmsg directly because Asio's one-datagram-per-call interface costs too much per packet.
#pragma once

#include <cstdint>
#include <expected>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/unique_fd.h"

namespace starling::media::detail {

// An IPv4 or IPv6 socket address in the form sendmmsg takes, or nothing (port 0). Kept small
// and trivially copyable because the relay's workers copy one per batch.
struct SocketAddress {
  union {
    sockaddr_in v4;
    sockaddr_in6 v6;
  } storage{};
  socklen_t length = 0; // 0: no address

  [[nodiscard]] bool empty() const { return length == 0; }
  [[nodiscard]] const sockaddr* data() const { return reinterpret_cast<const sockaddr*>(&storage); }
  [[nodiscard]] sockaddr* data() { return reinterpret_cast<sockaddr*>(&storage); }
};

// The address family the relay's sockets use for a bind address.
[[nodiscard]] int family_of(const boost::asio::ip::address& address);

// `endpoint` as a destination for a socket of `family`: IPv4 becomes v4-mapped IPv6 for a
// dual-stack socket and a v4-mapped IPv6 address becomes IPv4 for an IPv4 socket. Nothing when
// the endpoint has port 0 or an unspecified address (SDP's "no address yet" and RFC 2543
// hold), or when the socket cannot reach that family at all.
[[nodiscard]] SocketAddress to_socket_address(const boost::asio::ip::udp::endpoint& endpoint,
                                              int family);

// A non-blocking, close-on-exec UDP socket bound to `address` and `port`; an IPv6 socket also
// accepts IPv4 (v4-mapped) so "::" serves both families. The error is an errno value.
[[nodiscard]] std::expected<core::UniqueFd, int> bind_udp(const boost::asio::ip::address& address,
                                                          std::uint16_t port);

} // namespace starling::media::detail
