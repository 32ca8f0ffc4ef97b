// A flow (RFC 5626 §3.1): transport, both ends and the connection, enough to reach a peer
// again the way it reached us; the registrar stores it with the binding.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>

#include "sip/transaction/transaction_transport.h"

namespace starling::sip {

enum class TransportKind : std::uint8_t { udp, tcp, tls };

// Connections are numbered from 1 for the life of a TransportLayer; UDP flows carry 0.
using ConnectionId = std::uint64_t;
inline constexpr ConnectionId kNoConnection = 0;

struct Flow {
  TransportKind transport = TransportKind::udp;
  boost::asio::ip::address remote_address; // IPv4 peers are IPv4 here, never ::ffff:a.b.c.d
  std::uint16_t remote_port = 0;
  // The listening address ("::" or "0.0.0.0" on a wildcard UDP socket) or, on a connection,
  // the address it was accepted on or connected from.
  boost::asio::ip::address local_address;
  std::uint16_t local_port = 0;
  ConnectionId connection_id = kNoConnection;
  // A TLS connection Starling opens: the host its server's certificate must be for (RFC 5922
  // §4.1), e.g. a trunk's domain. Empty: the chain alone is checked.
  std::string server_name{};

  bool operator==(const Flow&) const = default;
};

// A Destination names a flow by a number: the connection id with the transport in the two
// low bits (0 for UDP), so sending needs no table of flows.
std::uint32_t flow_number(TransportKind transport, ConnectionId connection);
TransportKind transport_of(const Destination& destination);
ConnectionId connection_of(const Destination& destination);
// TCP and TLS: nothing is retransmitted on them (RFC 3261 §17.1.1.2, §13.3.1.4).
inline bool is_reliable(const Destination& destination) {
  return transport_of(destination) != TransportKind::udp;
}

// "udp", "tcp", "tls": metric labels and logs.
std::string_view to_string(TransportKind kind);

// The Via transport token (RFC 3261 §18.2.1, §20.42): "UDP", "TCP", "TLS".
std::string_view via_transport(TransportKind kind);

// "tcp [::1]:5060 <- 192.0.2.7:49152 #12", for logs.
std::string to_string(const Flow& flow);

// IPv4 peers reach a dual-stack socket as ::ffff:a.b.c.d; flows hold them as IPv4 so that
// received=, bans and the registrar see the address the peer itself knows.
boost::asio::ip::address unmapped(const boost::asio::ip::address& address);

// The unmapped address as text ("192.0.2.7", "2001:db8::1"). Every request needs it for
// received= (stamp_top_via), the ban list and the registrar, so IPv4 is written here directly: the
// C library's inet_ntop took a fifth of the time of stamping a Via.
std::string address_text(const boost::asio::ip::address& address);

} // namespace starling::sip
