// The values of WWW-Authenticate (401) and Proxy-Authenticate (407) Digest challenges.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sip/digest.h"

namespace starling::sip {

// Which challenge a request gets: a registrar or UAS answers 401 with WWW-Authenticate, a
// proxy 407 with Proxy-Authenticate (RFC 3261 §22.2, §22.3).
enum class ChallengeRole : std::uint8_t { user_agent, proxy };

std::string_view challenge_header_name(ChallengeRole role);
std::uint16_t challenge_status_code(ChallengeRole role);

// The algorithms challenges offer, most preferred first (RFC 8760 §2.4: SHA-256 first).
inline constexpr std::array kDefaultOfferedAlgorithms{DigestAlgorithm::sha256,
                                                      DigestAlgorithm::md5};

struct ChallengeParams {
  std::string_view realm;
  std::string_view nonce;
  std::string_view opaque; // left out when empty
  bool stale = false;
  // md5 and sha256 only. Some UACs (SIPp, older phones) read only the first challenge, so
  // operators may put MD5 first; see docs/sip.md.
  std::span<const DigestAlgorithm> algorithms = kDefaultOfferedAlgorithms;
};

// Two values, one header each: SHA-256 first, then MD5, because the server lists algorithms
// most preferred first and the client takes the first one it supports (RFC 7616 §3.7,
// RFC 8760 §2); old phones that only know MD5 skip the SHA-256 one. Both carry the same nonce: the
// client answers only one of them, and the nonce is not tied to an algorithm, so one mint serves
// both.
std::vector<std::string> build_digest_challenges(const ChallengeParams& params);

} // namespace starling::sip
