// Doctor: whether a SIP server answers, so that a trunk check can tell "found" from "reachable".
#pragma once

#include <chrono>
#include <expected>
#include <filesystem>
#include <string>

#include "net/sip_server.h"

namespace starling::app::doctor {

// Why a server could not be probed, e.g. "no answer from 192.0.2.10:5060 within 2 s".
struct SipProbeFailure {
  std::string message;
  bool handshake_failed = false; // TLS: the server's certificate or TLS was refused
};

struct SipProbeAnswer {
  std::string what; // e.g. "answered OPTIONS with 200 OK", "accepted a TCP connection"
  std::chrono::nanoseconds round_trip{};
};

// What a TLS server must prove, as a trunk's connection checks it: a certificate for
// `server_name` from a CA in `ca_file` (empty: the system's trust store).
struct TlsExpectation {
  std::string server_name;
  std::filesystem::path ca_file;
};

// UDP: an OPTIONS request (RFC 3261 §11), answered with any SIP response. TCP: a connection
// accepted, which is enough to show the way is open. TLS: a handshake that passes the
// checks a trunk's connection makes.
[[nodiscard]] std::expected<SipProbeAnswer, SipProbeFailure>
probe_sip_server(const net::SipServerTarget& target, const TlsExpectation& tls,
                 std::chrono::milliseconds timeout);

} // namespace starling::app::doctor
