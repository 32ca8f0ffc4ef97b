// Login passwords, hashed with argon2id so that a stolen database reveals none of them.
#include "directory/password_hash.h"

#include <array>
#include <stdexcept>

#include <sodium.h>

#include "directory/detail/sodium.h"

namespace starling::directory {
namespace {

// libsodium's "interactive" limits (2 passes over 64 MiB) exceed OWASP's argon2id minimum
// and keep a login or `user add` near a tenth of a second on a small server.
constexpr auto kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr auto kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

} // namespace

std::string hash_password(std::string_view password) {
  detail::ensure_sodium();
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  if (crypto_pwhash_str_alg(hash.data(), password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id hashing ran out of memory");
  }
  return hash.data();
}

bool verify_password(std::string_view hash, std::string_view password) {
  detail::ensure_sodium();
  const std::string terminated(hash); // libsodium wants a NUL-terminated hash string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

} // namespace starling::directory
