// The hash functions of SCRAM (RFC 5802 §2.2) over OpenSSL: H, HMAC and Hi (PBKDF2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace starling::xmpp::sasl {

enum class ScramHash : std::uint8_t {
  sha1,   // SCRAM-SHA-1 (RFC 5802)
  sha256, // SCRAM-SHA-256 (RFC 7677)
};

using Bytes = std::vector<std::uint8_t>;

// 20 or 32: the length of every key, signature and proof of that hash.
[[nodiscard]] std::size_t digest_size(ScramHash hash);
// "SHA-1" or "SHA-256", as in the mechanism names.
[[nodiscard]] std::string_view to_string(ScramHash hash);

// These throw std::runtime_error only when OpenSSL itself fails (out of memory, no default
// provider): never because of what a client sent.
[[nodiscard]] Bytes scram_h(ScramHash hash, std::span<const std::uint8_t> data);
[[nodiscard]] Bytes scram_hmac(ScramHash hash, std::span<const std::uint8_t> key,
                               std::span<const std::uint8_t> data);
[[nodiscard]] Bytes scram_hmac(ScramHash hash, std::span<const std::uint8_t> key,
                               std::string_view data);
// Hi(str, salt, i) of RFC 5802 §2.2, which is PBKDF2 (RFC 8018) with HMAC-H, dkLen = |H|.
[[nodiscard]] Bytes scram_hi(ScramHash hash, std::string_view password,
                             std::span<const std::uint8_t> salt, std::uint32_t iterations);

// Equal length and equal bytes, in time that depends only on the length.
[[nodiscard]] bool constant_time_equal(std::span<const std::uint8_t> a,
                                       std::span<const std::uint8_t> b);

// A view of `text`'s bytes, for the hash functions; borrows from `text`.
[[nodiscard]] std::span<const std::uint8_t> as_bytes(std::string_view text);

} // namespace starling::xmpp::sasl
