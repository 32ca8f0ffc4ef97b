// What the server stores per user and hash for SCRAM (RFC 5802 §3): never the password.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string_view>

#include "directory/scram_secret.h"
#include "xmpp/sasl/saslprep.h"
#include "xmpp/sasl/scram_crypto.h"

namespace starling::xmpp::sasl {

// RFC 7677 §4 asks for at least 4096 iterations; PBKDF2 runs once when a password is set
// (and on each client at each login, unless it caches SaltedPassword), so more is cheap here.
inline constexpr std::uint32_t kDefaultScramIterations = 10000;
// Fewer than this are refused when credentials are made (RFC 7677 §4).
inline constexpr std::uint32_t kMinScramIterations = 4096;
// 128 bits, as NIST SP 800-132 recommends. The fake salts of unknown users have this length
// too, so real credentials should use it for them to look alike.
inline constexpr std::size_t kScramSaltLength = 16;

struct ScramCredentials {
  ScramHash hash = ScramHash::sha256;
  Bytes salt{};
  std::uint32_t iterations = 0;
  Bytes stored_key{}; // H(ClientKey): verifies the client's proof
  Bytes server_key{}; // HMAC(SaltedPassword, "Server Key"): signs the server-final message

  friend bool operator==(const ScramCredentials&, const ScramCredentials&) = default;
};

// SaltedPassword = Hi(SASLprep(password), salt, i), and the two keys from it (RFC 5802 §3).
// Fails only when SASLprep refuses the password; throws std::invalid_argument on an empty
// salt or fewer than kMinScramIterations (a caller's mistake, not the user's).
[[nodiscard]] std::expected<ScramCredentials, SaslprepError>
make_scram_credentials(ScramHash hash, std::string_view password,
                       std::span<const std::uint8_t> salt,
                       std::uint32_t iterations = kDefaultScramIterations);

// kScramSaltLength bytes from OpenSSL's CSPRNG; throws std::runtime_error if it has no entropy.
[[nodiscard]] Bytes random_scram_salt();

// The keys the directory keeps of a user's password (directory/scram_secret.h), as the
// mechanisms take them.
[[nodiscard]] ScramCredentials scram_credentials(const directory::ScramSecret& secret);

} // namespace starling::xmpp::sasl
