// Checks a TLS port from outside, as a client would: old versions refused, 1.2+ accepted.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "net/certificate_info.h"

namespace starling::net {

struct TlsProbeResult {
  // The old version the server agreed to ("TLSv1.1"), or nothing when it refused 1.0 and 1.1.
  std::optional<std::string> old_version_accepted;
  std::string version; // what a TLS 1.2+ client got, e.g. "TLSv1.3"
  CertificateInfo certificate;
};

// Blocking, for the doctor: two handshakes with `address`:`port` (one offering only TLS 1.0
// and 1.1, one offering 1.2 and 1.3), each given `timeout`. The error says why nothing could
// be learned, e.g. "connection refused".
[[nodiscard]] std::expected<TlsProbeResult, std::string>
probe_tls_port(const std::string& address, std::uint16_t port, std::chrono::milliseconds timeout);

} // namespace starling::net
