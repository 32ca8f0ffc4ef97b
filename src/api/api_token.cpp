// API token secrets: how they look ("stl_…") and what the store keeps of them (a SHA-256).
#include "api/api_token.h"

#include <array>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "api/random_token.h"

namespace starling::api {

namespace {

constexpr std::size_t kTokenBytes = 32;

} // namespace

std::string new_token_secret() {
  return std::string(kTokenPrefix) + random_token(kTokenBytes);
}

std::string token_hash(std::string_view secret) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(secret.data(), secret.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += fmt::format("{:02x}", digest.at(i));
  }
  return hex;
}

} // namespace starling::api
