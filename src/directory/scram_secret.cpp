// SCRAM key derivation (RFC 5802 §3) with OpenSSL, and the RFC 5803 text form.
#include "directory/scram_secret.h"

#include <array>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "core/base64.h"

namespace starling::directory {

namespace {

constexpr std::size_t kSaltSize = 16;

const EVP_MD* digest(ScramHash hash) {
  return hash == ScramHash::sha1 ? EVP_sha1() : EVP_sha256();
}

std::string_view mechanism_name(ScramHash hash) {
  return hash == ScramHash::sha1 ? "SCRAM-SHA-1" : "SCRAM-SHA-256";
}

std::string hmac(ScramHash hash, std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  if (HMAC(digest(hash), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
           &size) == nullptr) {
    throw std::runtime_error("HMAC failed");
  }
  return {reinterpret_cast<const char*>(out.data()), size};
}

std::string hash_of(ScramHash hash, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &size, digest(hash), nullptr) != 1) {
    throw std::runtime_error("digest failed");
  }
  return {reinterpret_cast<const char*>(out.data()), size};
}

std::string base64(std::string_view bytes) {
  return core::encode_base64({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

std::optional<std::string> unbase64(std::string_view text) {
  auto bytes = core::decode_base64(text);
  if (!bytes || bytes->empty()) {
    return std::nullopt;
  }
  return std::string(bytes->begin(), bytes->end());
}

// "a:b" into its two halves.
std::optional<std::pair<std::string_view, std::string_view>> split(std::string_view text,
                                                                   char separator) {
  const auto at = text.find(separator);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  return std::pair{text.substr(0, at), text.substr(at + 1)};
}

} // namespace

ScramSecret derive_scram_secret(ScramHash hash, std::string_view password, std::string_view salt,
                                std::uint32_t iterations) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> salted{};
  const auto size = static_cast<std::size_t>(EVP_MD_get_size(digest(hash)));
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), digest(hash),
                        static_cast<int>(size), salted.data()) != 1) {
    throw std::runtime_error("PBKDF2 failed");
  }
  const std::string_view salted_password(reinterpret_cast<const char*>(salted.data()), size);
  return ScramSecret{hash, iterations, std::string(salt),
                     hash_of(hash, hmac(hash, salted_password, "Client Key")),
                     hmac(hash, salted_password, "Server Key")};
}

ScramSecret make_scram_secret(ScramHash hash, std::string_view password) {
  std::array<unsigned char, kSaltSize> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("no random bytes for a SCRAM salt");
  }
  return derive_scram_secret(
      hash, password, std::string_view(reinterpret_cast<const char*>(salt.data()), salt.size()),
      kScramIterations);
}

std::string encode_scram_secret(const ScramSecret& secret) {
  return fmt::format("{}${}:{}${}:{}", mechanism_name(secret.hash), secret.iterations,
                     base64(secret.salt), base64(secret.stored_key), base64(secret.server_key));
}

std::optional<ScramSecret> decode_scram_secret(std::string_view text) {
  const auto scheme = split(text, '$');
  if (!scheme) {
    return std::nullopt;
  }
  ScramSecret secret;
  if (scheme->first == mechanism_name(ScramHash::sha1)) {
    secret.hash = ScramHash::sha1;
  } else if (scheme->first != mechanism_name(ScramHash::sha256)) {
    return std::nullopt;
  }
  const auto parts = split(scheme->second, '$');
  if (!parts) {
    return std::nullopt;
  }
  const auto salting = split(parts->first, ':');
  const auto keys = split(parts->second, ':');
  if (!salting || !keys) {
    return std::nullopt;
  }
  const std::string_view count = salting->first;
  if (count.empty() || count.size() > 9 || count.find_first_not_of("0123456789") != count.npos) {
    return std::nullopt;
  }
  secret.iterations = static_cast<std::uint32_t>(std::stoul(std::string(count)));
  auto salt = unbase64(salting->second);
  auto stored = unbase64(keys->first);
  auto server = unbase64(keys->second);
  const auto size = static_cast<std::size_t>(EVP_MD_get_size(digest(secret.hash)));
  if (secret.iterations == 0 || !salt || !stored || !server || stored->size() != size ||
      server->size() != size) {
    return std::nullopt;
  }
  secret.salt = std::move(*salt);
  secret.stored_key = std::move(*stored);
  secret.server_key = std::move(*server);
  return secret;
}

} // namespace starling::directory
