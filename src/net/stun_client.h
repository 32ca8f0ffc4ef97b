// A STUN client (RFC 8489 Binding over UDP) that asks a STUN server for our public address.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include "net/stun_message.h"

namespace starling::net {

// RFC 8489 §6.2.1 defaults: the first retransmission after RTO, each next one after twice the
// wait before it, Rc requests in all, then Rm times the first RTO for the last answer: a
// server that never answers is given up after 39.5 s.
inline constexpr std::chrono::milliseconds kStunInitialRto{500};
inline constexpr unsigned kStunRequestCount = 7;    // Rc
inline constexpr unsigned kStunLastWaitFactor = 16; // Rm

struct StunRetransmission {
  std::chrono::milliseconds initial_rto = kStunInitialRto;
  unsigned request_count = kStunRequestCount;
  unsigned last_wait_factor = kStunLastWaitFactor;
};

// network.stun_server split up: "host", "host:port", "[v6]:port" or a bare IPv6 literal.
struct StunServerAddress {
  std::string host;
  std::uint16_t port = kStunDefaultPort;
};

[[nodiscard]] std::expected<StunServerAddress, std::string>
parse_stun_server(std::string_view server);

// The mapped address, or what went wrong in words for the operator's log, naming the server
// ("STUN server stun.example.com:3478: no answer to 7 Binding requests within 39.5 s").
using StunQueryResult = std::expected<StunMappedAddress, std::string>;
using StunQueryHandler = std::function<void(StunQueryResult)>;

// Resolves the server (A/AAAA, IPv4 preferred: the public address behind a NAT is an IPv4
// one), sends a Binding request from an ephemeral UDP port and retransmits it per `timing`.
// Responses that are malformed or for another transaction are discarded (RFC 8489 §6.3).
// `on_done` runs exactly once, on `io`'s thread, unless `io` is stopped first; until then the
// query keeps itself alive and keeps `io` busy (io.run() does not return before it ends).
void query_stun_server(boost::asio::io_context& io, std::string server, StunQueryHandler on_done,
                       StunRetransmission timing = {});

using PublicAddressHandler =
    std::function<void(std::expected<boost::asio::ip::address, std::string>)>;

// query_stun_server for the address only: what network.public_address would be.
void learn_public_address(boost::asio::io_context& io, std::string stun_server,
                          PublicAddressHandler on_done);

} // namespace starling::net
