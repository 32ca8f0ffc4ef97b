// SCRAM secrets of a login password (RFC 5802 §3), so that XMPP clients can log in with SCRAM
// while Starling keeps neither the password nor anything a client could log in with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace starling::directory {

enum class ScramHash { sha1, sha256 };

// RFC 7677 §4 asks for at least 4096; the client pays for these once per login (and may
// cache the result), the server never.
inline constexpr std::uint32_t kScramIterations = 10000;

// Raw bytes, not base64.
struct ScramSecret {
  ScramHash hash = ScramHash::sha256;
  std::uint32_t iterations = kScramIterations;
  std::string salt;
  std::string stored_key; // H(ClientKey)
  std::string server_key; // HMAC(SaltedPassword, "Server Key")

  bool operator==(const ScramSecret&) const = default;
};

// The password is used as given: the SASLprep of an ASCII password is the password itself,
// and non-ASCII passwords are not normalised (clients that do normalise then log in with
// PLAIN over TLS instead).
[[nodiscard]] ScramSecret derive_scram_secret(ScramHash hash, std::string_view password,
                                              std::string_view salt, std::uint32_t iterations);
// With a fresh random 16-byte salt and kScramIterations.
[[nodiscard]] ScramSecret make_scram_secret(ScramHash hash, std::string_view password);

// The RFC 5803 text form the store keeps:
// "SCRAM-SHA-256$10000:<salt>$<StoredKey>:<ServerKey>", each value in base64.
[[nodiscard]] std::string encode_scram_secret(const ScramSecret& secret);
// Nothing for text that is not that form (including the empty text of a user whose password
// was set before SCRAM secrets were kept).
[[nodiscard]] std::optional<ScramSecret> decode_scram_secret(std::string_view text);

} // namespace starling::directory
