// API token secrets: how they look ("stl_…") and what the store keeps of them (a SHA-256).
#pragma once

#include <string>
#include <string_view>

namespace starling::api {

// The prefix lets secret scanners and people recognise a Starling token in a leaked file.
inline constexpr std::string_view kTokenPrefix = "stl_";

// "stl_" and 32 random bytes, base64url: shown once, then only its hash is kept.
[[nodiscard]] std::string new_token_secret();

// Hex SHA-256. A plain hash is enough (no argon2id): the secret has 256 random bits, so
// there is nothing to guess offline, and every API request can afford to check it.
[[nodiscard]] std::string token_hash(std::string_view secret);

} // namespace starling::api
