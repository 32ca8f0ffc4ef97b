// SCRAM's H, HMAC and Hi over OpenSSL.
#include "xmpp/sasl/scram_crypto.h"

#include <climits>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace starling::xmpp::sasl {

namespace {

const EVP_MD* md(ScramHash hash) {
  return hash == ScramHash::sha1 ? EVP_sha1() : EVP_sha256();
}

int as_int(std::size_t size) {
  if (size > INT_MAX) {
    throw std::length_error("SCRAM: input too long for OpenSSL");
  }
  return static_cast<int>(size);
}

} // namespace

std::size_t digest_size(ScramHash hash) {
  return hash == ScramHash::sha1 ? 20 : 32;
}

std::string_view to_string(ScramHash hash) {
  return hash == ScramHash::sha1 ? "SHA-1" : "SHA-256";
}

Bytes scram_h(ScramHash hash, std::span<const std::uint8_t> data) {
  Bytes digest(digest_size(hash));
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, md(hash), nullptr) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("SCRAM: OpenSSL digest failed");
  }
  return digest;
}

Bytes scram_hmac(ScramHash hash, std::span<const std::uint8_t> key,
                 std::span<const std::uint8_t> data) {
  Bytes mac(digest_size(hash));
  unsigned int length = 0;
  if (HMAC(md(hash), key.data(), as_int(key.size()), data.data(), data.size(), mac.data(),
           &length) == nullptr ||
      length != mac.size()) {
    throw std::runtime_error("SCRAM: OpenSSL HMAC failed");
  }
  return mac;
}

Bytes scram_hmac(ScramHash hash, std::span<const std::uint8_t> key, std::string_view data) {
  return scram_hmac(hash, key, as_bytes(data));
}

Bytes scram_hi(ScramHash hash, std::string_view password, std::span<const std::uint8_t> salt,
               std::uint32_t iterations) {
  Bytes derived(digest_size(hash));
  if (iterations == 0 || iterations > INT_MAX ||
      PKCS5_PBKDF2_HMAC(password.data(), as_int(password.size()), salt.data(), as_int(salt.size()),
                        static_cast<int>(iterations), md(hash), as_int(derived.size()),
                        derived.data()) != 1) {
    throw std::runtime_error("SCRAM: OpenSSL PBKDF2 failed");
  }
  return derived;
}

bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  // Viewing chars as unsigned chars is allowed (they may alias any object).
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

} // namespace starling::xmpp::sasl
