// What RFC 3263 server location starts from (a SIP URI's host part) and what it yields (where to
// send), in net/'s own types: net/ must not know sip/ (DESIGN.md), so sip/ converts its URIs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace starling::net {

// The transports Starling speaks; TLS is TLS over TCP (RFC 3261 §26.2). SCTP is not offered.
enum class SipTransport { udp, tcp, tls };

// RFC 3263 §4.1/§4.2 defaults: 5060, and 5061 for TLS.
inline constexpr std::uint16_t kSipDefaultPort = 5060;
inline constexpr std::uint16_t kSipsDefaultPort = 5061;

[[nodiscard]] constexpr std::uint16_t default_port(SipTransport transport) {
  return transport == SipTransport::tls ? kSipsDefaultPort : kSipDefaultPort;
}

[[nodiscard]] constexpr std::string_view to_string(SipTransport transport) {
  switch (transport) {
  case SipTransport::udp:
    return "UDP";
  case SipTransport::tcp:
    return "TCP";
  case SipTransport::tls:
    return "TLS";
  }
  return "?";
}

// The host part of a SIP or SIPS URI, as RFC 3263 §4 reads it.
struct SipServerName {
  std::string host; // a domain name, or an IP literal (IPv6 with or without brackets)
  std::optional<std::uint16_t> port;
  std::optional<SipTransport> transport; // the URI's transport parameter
  bool secure = false;                   // a sips: URI: TLS only (RFC 3261 §19.1)

  bool operator==(const SipServerName&) const = default;
};

// One place to try: the transport, an IP address literal (no brackets) and a port.
struct SipServerTarget {
  SipTransport transport = SipTransport::udp;
  std::string address;
  std::uint16_t port = kSipDefaultPort;

  bool operator==(const SipServerTarget&) const = default;
};

} // namespace starling::net
