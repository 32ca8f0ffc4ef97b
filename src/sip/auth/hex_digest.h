// A hash as lowercase hex, held inline. Verifying a Digest response takes three of them (the
// stored HA1, H(A2) and the expected response); as strings each was a heap block.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace starling::sip {

// `c` with the hex letters A-F in lower case; every other character as it is.
constexpr char lower_hex_char(char c) {
  return (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
}

class HexDigest {
public:
  // SHA-256's 64 digits, the longest hash Starling verifies.
  static constexpr std::size_t kCapacity = 64;

  HexDigest() = default;
  // `hex` with its digits in lower case (RFC 7616 §3.4.1 lets a peer write upper case); empty
  // when `hex` is longer than any supported hash, which no comparison then accepts.
  explicit HexDigest(std::string_view hex) {
    if (hex.size() > kCapacity) {
      return;
    }
    for (const char c : hex) {
      digits_[size_++] = lower_hex_char(c);
    }
  }

  // The lowercase hex of `bytes`; empty when they are longer than any supported hash.
  static HexDigest of(std::span<const std::uint8_t> bytes) {
    HexDigest hex;
    if (bytes.size() * 2 > kCapacity) {
      return hex;
    }
    constexpr std::string_view kDigits = "0123456789abcdef";
    for (const std::uint8_t byte : bytes) {
      hex.digits_[hex.size_++] = kDigits[byte >> 4U];
      hex.digits_[hex.size_++] = kDigits[byte & 0x0fU];
    }
    return hex;
  }

  [[nodiscard]] std::string_view view() const { return {digits_.data(), size_}; }
  [[nodiscard]] std::size_t size() const { return size_; }

private:
  std::array<char, kCapacity> digits_{};
  std::size_t size_ = 0;
};

} // namespace starling::sip
