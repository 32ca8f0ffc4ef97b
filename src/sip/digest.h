// Digest authentication header values: credentials and challenges (RFC 3261 §22, RFC 7616,
// RFC 8760 for SHA-256 and SHA-512/256 in SIP).
#pragma once

#include <cstdint>
#include <expected>
#include <string_view>

#include "sip/parse_error.h"

namespace starling::sip {

enum class DigestAlgorithm : std::uint8_t {
  md5, // the default when the parameter is absent (RFC 7616 §3.3)
  md5_sess,
  sha256,
  sha256_sess,
  sha512_256,
  sha512_256_sess,
  unknown,
};

DigestAlgorithm digest_algorithm_from_name(std::string_view name);
bool is_session_algorithm(DigestAlgorithm algorithm);
// Hex digits in a response of this algorithm: 32 for MD5, 64 for the SHA-2 ones.
std::size_t digest_hex_length(DigestAlgorithm algorithm);

// The auth-scheme token a credentials or challenge value starts with ("Digest", or an
// unknown one as in RFC 4475 regaut01, which a registrar answers with 401 and a challenge).
std::string_view auth_scheme(std::string_view value);

// Authorization / Proxy-Authorization: Digest … (RFC 7616 §3.4). Quoted values are given
// without their quotes, quoted-pairs kept; decode with unquote() when they hold a '\'.
struct DigestCredentials {
  std::string_view username;
  std::string_view realm;
  std::string_view nonce;
  std::string_view uri; // digest-uri, compared with the Request-URI by the verifier
  std::string_view response;
  DigestAlgorithm algorithm = DigestAlgorithm::md5;
  std::string_view algorithm_name; // empty when absent
  std::string_view cnonce;
  std::string_view opaque;
  std::string_view qop; // "auth" / "auth-int"; empty when absent
  std::string_view nc;  // 8 hex digits when qop is present
  bool userhash = false;
};

// WWW-Authenticate / Proxy-Authenticate: Digest … (RFC 7616 §3.3)
struct DigestChallenge {
  std::string_view realm;
  std::string_view domain;
  std::string_view nonce;
  std::string_view opaque;
  bool stale = false;
  DigestAlgorithm algorithm = DigestAlgorithm::md5;
  std::string_view algorithm_name;
  std::string_view qop_options; // "auth,auth-int" as received, without quotes
  std::string_view charset;
  bool userhash = false;

  [[nodiscard]] bool offers_qop(std::string_view qop) const;
};

std::expected<DigestCredentials, ValueError> parse_digest_credentials(std::string_view value);
std::expected<DigestChallenge, ValueError> parse_digest_challenge(std::string_view value);

} // namespace starling::sip
