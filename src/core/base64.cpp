// Strict base64 (RFC 4648 §4): the canonical form only.
#include "core/base64.h"

#include <array>

namespace starling::core {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kNotBase64 = 0xff;

constexpr auto kSextets = [] {
  std::array<std::uint8_t, 256> sextets{};
  sextets.fill(kNotBase64);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    sextets.at(static_cast<unsigned char>(kAlphabet[i])) = static_cast<std::uint8_t>(i);
  }
  return sextets;
}();

} // namespace

std::string encode_base64(std::span<const std::uint8_t> bytes) {
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{bytes[i]} << 16U) |
                                (std::uint32_t{bytes[i + 1]} << 8U) | std::uint32_t{bytes[i + 2]};
    text += kAlphabet[(group >> 18U) & 0x3fU];
    text += kAlphabet[(group >> 12U) & 0x3fU];
    text += kAlphabet[(group >> 6U) & 0x3fU];
    text += kAlphabet[group & 0x3fU];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t group = std::uint32_t{bytes[i]} << 16U;
    text += kAlphabet[(group >> 18U) & 0x3fU];
    text += kAlphabet[(group >> 12U) & 0x3fU];
    text += "==";
  } else if (rest == 2) {
    const std::uint32_t group =
        (std::uint32_t{bytes[i]} << 16U) | (std::uint32_t{bytes[i + 1]} << 8U);
    text += kAlphabet[(group >> 18U) & 0x3fU];
    text += kAlphabet[(group >> 12U) & 0x3fU];
    text += kAlphabet[(group >> 6U) & 0x3fU];
    text += '=';
  }
  return text;
}

std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::size_t padding = 0;
  if (text.ends_with("==")) {
    padding = 2;
  } else if (text.ends_with('=')) {
    padding = 1;
  }
  std::vector<std::uint8_t> bytes;
  bytes.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const std::size_t encoded = last ? 4 - padding : 4;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      std::uint32_t sextet = 0;
      if (j < encoded) {
        const std::uint8_t value = kSextets[static_cast<unsigned char>(text[i + j])];
        if (value == kNotBase64) {
          return std::nullopt; // includes '=' anywhere but the end
        }
        sextet = value;
      }
      group = (group << 6U) | sextet;
    }
    bytes.push_back(static_cast<std::uint8_t>(group >> 16U));
    if (encoded > 2) {
      bytes.push_back(static_cast<std::uint8_t>(group >> 8U));
    }
    if (encoded > 3) {
      bytes.push_back(static_cast<std::uint8_t>(group));
    }
    // RFC 4648 §3.5: the bits after the last byte must be zero, so each byte string has
    // exactly one encoding (and "QQ==" cannot be smuggled past a comparison as "QR==").
    if ((encoded == 2 && (group & 0xffffU) != 0) || (encoded == 3 && (group & 0xffU) != 0)) {
      return std::nullopt;
    }
  }
  return bytes;
}

} // namespace starling::core
