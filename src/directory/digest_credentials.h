// SIP digest secrets as stored: HA1 = H(username ":" realm ":" password), RFC 7616 §3.4.2.
#pragma once

#include <string>
#include <string_view>

namespace starling::directory {

// Lowercase hex HA1 for each algorithm phones use (RFC 8760 adds SHA-256 to SIP).
struct DigestHa1 {
  std::string md5;
  std::string sha256;
};

[[nodiscard]] DigestHa1 compute_ha1(std::string_view username, std::string_view realm,
                                    std::string_view password);

} // namespace starling::directory
