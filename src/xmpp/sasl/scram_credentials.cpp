// SCRAM's stored keys from a password.
#include "xmpp/sasl/scram_credentials.h"

#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace starling::xmpp::sasl {

namespace {

Bytes bytes_of(std::string_view text) {
  const auto bytes = as_bytes(text);
  return {bytes.begin(), bytes.end()};
}

} // namespace

// The keys come from the directory's derivation, the one that made the stored secrets.
std::expected<ScramCredentials, SaslprepError>
make_scram_credentials(ScramHash hash, std::string_view password,
                       std::span<const std::uint8_t> salt, std::uint32_t iterations) {
  if (salt.empty() || iterations < kMinScramIterations) {
    throw std::invalid_argument("SCRAM credentials need a salt and at least 4096 iterations");
  }
  auto prepared = saslprep(password);
  if (!prepared) {
    return std::unexpected(prepared.error());
  }
  const auto secret = directory::derive_scram_secret(
      hash == ScramHash::sha1 ? directory::ScramHash::sha1 : directory::ScramHash::sha256,
      *prepared, std::string_view(reinterpret_cast<const char*>(salt.data()), salt.size()),
      iterations);
  OPENSSL_cleanse(prepared->data(), prepared->size());
  return scram_credentials(secret);
}

ScramCredentials scram_credentials(const directory::ScramSecret& secret) {
  return {
      .hash = secret.hash == directory::ScramHash::sha1 ? ScramHash::sha1 : ScramHash::sha256,
      .salt = bytes_of(secret.salt),
      .iterations = secret.iterations,
      .stored_key = bytes_of(secret.stored_key),
      .server_key = bytes_of(secret.server_key),
  };
}

Bytes random_scram_salt() {
  Bytes salt(kScramSaltLength);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("OpenSSL's random generator is not seeded");
  }
  return salt;
}

} // namespace starling::xmpp::sasl
