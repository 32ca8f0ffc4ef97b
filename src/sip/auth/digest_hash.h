// The hash computations of Digest authentication (RFC 7616 §3.4.1–§3.4.3, RFC 8760).
#pragma once

#include <string>
#include <string_view>

#include "sip/auth/hex_digest.h"
#include "sip/digest.h"

namespace starling::sip {

// True for the algorithms Starling verifies: MD5 (the default, RFC 3261 §22.4) and
// SHA-256 (RFC 8760). The -sess variants and SHA-512/256 are neither offered nor accepted.
bool is_supported_digest_algorithm(DigestAlgorithm algorithm);

// H(data) as lowercase hex. Callers pass a supported algorithm.
std::string digest_hash_hex(DigestAlgorithm algorithm, std::string_view data);

// HA1 = H(username ":" realm ":" password) (RFC 7616 §3.4.2); what the directory stores.
std::string digest_ha1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                       std::string_view password);

// The inputs of a qop=auth response besides HA1 (RFC 7616 §3.4.1).
struct DigestResponseInput {
  std::string_view method;
  std::string_view uri; // the digest-uri as the client sent it
  std::string_view nonce;
  std::string_view nc;
  std::string_view cnonce;
  std::string_view qop;
};

// response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" H(method ":" digest-uri)).
HexDigest digest_response(DigestAlgorithm algorithm, std::string_view ha1_hex,
                          const DigestResponseInput& input);

// Compares two hex strings without letting timing reveal where they first differ; hex case
// is ignored because RFC 7616 §3.4.1 lets clients send upper-case digits.
bool hex_equal_constant_time(std::string_view a, std::string_view b);

} // namespace starling::sip
