// Stateless Digest nonces: minted with a server secret and verified without a table.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "sip/auth/hmac_sha256.h"

namespace starling::sip {

// The HMAC key of the nonces. One random secret per process: a restart invalidates every
// nonce, which phones recover from with one more challenge (see DigestAuthenticator).
using NonceSecret = std::array<std::uint8_t, 32>;

// A secret from OpenSSL's CSPRNG. Throws std::runtime_error when the generator cannot be
// seeded, which only happens at start-up on a broken system.
NonceSecret random_nonce_secret();

// RFC 7616 §3.3 leaves the nonce lifetime to the server; five minutes covers a REGISTER
// and the INVITEs that follow it without letting a captured nonce live long.
inline constexpr std::chrono::seconds kDefaultNonceLifetime{300};

enum class NonceValidity : std::uint8_t {
  fresh,   // minted here within the lifetime
  expired, // minted here, older than the lifetime: answer with stale=true (RFC 7616 §3.3)
  forged,  // not minted with this secret, malformed, or tampered with
};

struct NonceCheck {
  NonceValidity validity = NonceValidity::forged;
  core::Clock::TimePoint issued{}; // when minted; meaningful unless forged
};

// nonce = base64url(timestamp || random || HMAC-SHA-256(secret, timestamp || random)[0..16)).
// The timestamp is the clock's milliseconds, so the nonce carries its own age; the random
// part makes every nonce unique for the nonce-count table; the MAC, truncated to 128 bits
// (ample against forgery, and it keeps the nonce at 48 characters), makes it unforgeable.
class NonceIssuer {
public:
  NonceIssuer(const core::Clock& clock, const NonceSecret& secret,
              core::Clock::Duration lifetime = kDefaultNonceLifetime);

  [[nodiscard]] std::string issue();
  [[nodiscard]] NonceCheck check(std::string_view nonce) const;
  [[nodiscard]] core::Clock::Duration lifetime() const { return lifetime_; }

  static constexpr std::size_t kEncodedLength = 48;
  static constexpr std::size_t kRandomPerNonce = 12;

private:
  const core::Clock& clock_;
  HmacSha256Key key_;
  core::Clock::Duration lifetime_;
  // One RAND_bytes call costs about as much for 3 KiB as for 12 bytes (2 µs, measured), so
  // nonces take their random part from a pool that one call fills for 256 of them.
  void take_random(std::span<std::uint8_t> random);
  std::mutex random_mutex_;
  std::array<std::uint8_t, kRandomPerNonce * 256> random_pool_{};
  std::size_t random_used_ = random_pool_.size();
  std::uint64_t fallback_counter_ = 0;
};

} // namespace starling::sip
