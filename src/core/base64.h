// Base64 (RFC 4648 §4) with the standard alphabet, for data that must be exact: SASL
// messages and stored secrets.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace starling::core {

// Padded standard alphabet.
[[nodiscard]] std::string encode_base64(std::span<const std::uint8_t> bytes);

// Strict: the standard alphabet, padding to a multiple of four, no whitespace and no bits
// set after the last encoded byte (RFC 4648 §3.5 canonical form). Nothing on any violation.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text);

} // namespace starling::core
