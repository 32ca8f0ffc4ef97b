// HMAC-SHA-256 (RFC 2104) under one fixed key, with the key's pads hashed once up front.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include <openssl/evp.h>

namespace starling::sip {

using HmacSha256 = std::array<std::uint8_t, 32>;

// OpenSSL 3's one-shot HMAC() looks the algorithm up and keys it on every call (about 4 µs,
// measured); hashing the padded key once and copying that state costs about 0.7 µs. A nonce
// is MACed for every challenge and every authenticated request, so this is on the hot path.
class HmacSha256Key {
public:
  explicit HmacSha256Key(std::span<const std::uint8_t> key);

  // Safe to call from several threads: the keyed states are only read.
  [[nodiscard]] HmacSha256 mac(std::span<const std::uint8_t> message) const;

private:
  struct ContextFree {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  using Context = std::unique_ptr<EVP_MD_CTX, ContextFree>;

  static Context keyed_state(std::span<const std::uint8_t> key, std::uint8_t pad);

  Context inner_; // SHA-256 state after absorbing key XOR ipad
  Context outer_; // SHA-256 state after absorbing key XOR opad
};

} // namespace starling::sip
