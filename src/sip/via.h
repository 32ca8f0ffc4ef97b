// The Via header value: sent-protocol, sent-by and via-params (RFC 3261 §20.42, RFC 3581).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>

#include "sip/host.h"
#include "sip/param_list.h"
#include "sip/parse_error.h"

namespace starling::sip {

enum class Transport : std::uint8_t { udp, tcp, tls, sctp, tls_sctp, ws, wss, other };

// Transport names compare case-insensitively; anything unknown is Transport::other (RFC 4475
// transports: "UNKNOWN" must still parse, responses go to the topmost Via).
Transport transport_from_name(std::string_view name);

// RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this magic cookie.
inline constexpr std::string_view kBranchMagicCookie = "z9hG4bK";

// via-parm = sent-protocol LWS sent-by *( SEMI via-params )
struct Via {
  std::string_view protocol_name;    // "SIP"
  std::string_view protocol_version; // "2.0"
  std::string_view transport_name;   // as received
  Transport transport = Transport::other;
  std::string_view host; // IPv6 references keep their brackets
  HostType host_type = HostType::hostname;
  std::optional<std::uint16_t> port;
  std::string_view branch;   // empty when absent (RFC 2543 peers, RFC 4475 inv2543)
  std::string_view received; // empty when absent
  bool has_rport = false;    // RFC 3581: "rport" without value asks for it in the response
  std::optional<std::uint16_t> rport;
  std::string_view maddr;
  std::optional<std::uint8_t> ttl;
  ParamList params; // all parameters, the ones above included

  // RFC 3261 §17.2.3: only a branch with the cookie and something after it identifies a
  // transaction; RFC 4475 badbranch sends the bare cookie.
  [[nodiscard]] bool has_rfc3261_branch() const {
    return branch.size() > kBranchMagicCookie.size() && branch.starts_with(kBranchMagicCookie);
  }
};

// Parses one via-parm; a header holding several is split with CommaList first.
std::expected<Via, ValueError> parse_via(std::string_view value);

} // namespace starling::sip
