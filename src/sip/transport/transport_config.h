// Where the SIP transports listen and the limits that keep one peer from exhausting them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "sip/limits.h"

namespace starling::sip {

// A small office behind one NAT shows up as one address; a few hundred phones each with a
// TCP/TLS flow is normal there, thousands from one address is not.
inline constexpr std::size_t kDefaultMaxConnectionsPerAddress = 512;

// Each connection costs a descriptor and up to a message of buffer. Accepting stops here
// (or earlier, at the process's RLIMIT_NOFILE) rather than at memory exhaustion.
inline constexpr std::size_t kDefaultMaxConnections = 10000;

// Before anything on a connection authenticated, a message is a REGISTER, OPTIONS or a first
// INVITE: a few KiB. Buffering 64 KiB for each of thousands of anonymous connections is
// what a memory-exhaustion attack wants.
inline constexpr std::size_t kDefaultMaxUnauthenticatedMessageSize = std::size_t{16} * 1024;

// Responses and requests queued to a peer that does not read; beyond it the peer is stuck.
inline constexpr std::size_t kDefaultMaxSendQueueBytes = std::size_t{1024} * 1024;

// RFC 5626 §4.4.1 keep-alives come every ~2 minutes; 10 minutes of silence is a dead flow.
inline constexpr std::chrono::minutes kDefaultIdleTimeout{10};

// A TLS handshake (or an outbound TCP connect) that has not finished by then never will;
// slow-handshake attacks hold descriptors for exactly as long as this allows.
inline constexpr std::chrono::seconds kDefaultHandshakeTimeout{10};

// How often connections are checked against the two timeouts above (real time).
inline constexpr std::chrono::seconds kDefaultSweepInterval{1};

// The longest the SIP UDP socket may go unread while datagrams come thick and fast, so that
// one wake-up of the signalling thread answers many (see detail/receive_pacing.h). A fixed
// 2 ms window took a quarter to a third off the CPU per registration at 2,000–12,000 a
// second on the development VM (bench/README.md, run 9); windows that grow to 8 ms while the
// load lasts took a further fifth off at 1,000 a second (runs 11 and 12, and the side-by-side
// figures after them).
inline constexpr std::chrono::microseconds kDefaultUdpReceiveWindow{8000};

// The largest UDP payload over IPv4 (65,535 minus IP and UDP headers).
inline constexpr std::size_t kMaxDatagramSize = 65507;

struct TransportLimits {
  // Whole message, start line to end of body; larger stream messages get 513 and a close,
  // larger datagrams are dropped.
  std::size_t max_message_size = kMaxMessageSize;
  // The same for connections not yet marked authenticated (TransportLayer::mark_authenticated).
  std::size_t max_unauthenticated_message_size = kDefaultMaxUnauthenticatedMessageSize;
  std::size_t max_connections = kDefaultMaxConnections;
  std::size_t max_connections_per_address = kDefaultMaxConnectionsPerAddress;
  std::size_t max_send_queue_bytes = kDefaultMaxSendQueueBytes;
  std::chrono::steady_clock::duration idle_timeout = kDefaultIdleTimeout;
  std::chrono::steady_clock::duration handshake_timeout = kDefaultHandshakeTimeout;
  std::chrono::steady_clock::duration sweep_interval = kDefaultSweepInterval;
};

struct TransportConfig {
  // "::" listens on every IPv6 and IPv4 address (dual stack); a single address such as
  // "127.0.0.1" or "::1" only there. Falls back to 0.0.0.0 when "::" has no IPv6.
  std::string address = "::";
  // nullopt: that transport is off. 0: any free port (tests); see TransportLayer::local_port().
  std::optional<std::uint16_t> udp_port = 5060;
  std::optional<std::uint16_t> tcp_port = 5060;
  std::optional<std::uint16_t> tls_port = 5061;
  // Zero: the UDP socket is read as soon as a datagram arrives, always.
  std::chrono::microseconds udp_receive_window = kDefaultUdpReceiveWindow;
  TransportLimits limits;
};

} // namespace starling::sip
