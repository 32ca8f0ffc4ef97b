// SIP digest secrets as stored: HA1 = H(username ":" realm ":" password), RFC 7616 §3.4.2.
#include "directory/digest_credentials.h"

#include <array>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/evp.h>

namespace starling::directory {
namespace {

std::string hex_digest(const EVP_MD* algorithm, std::string_view username, std::string_view realm,
                       std::string_view password) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  const std::string input = fmt::format("{}:{}:{}", username, realm, password);
  if (EVP_Digest(input.data(), input.size(), digest.data(), &size, algorithm, nullptr) != 1) {
    throw std::runtime_error("OpenSSL digest failed");
  }
  std::string hex;
  hex.reserve(std::size_t{size} * 2);
  for (unsigned int i = 0; i < size; ++i) {
    fmt::format_to(std::back_inserter(hex), "{:02x}", digest.at(i));
  }
  return hex;
}

} // namespace

DigestHa1 compute_ha1(std::string_view username, std::string_view realm,
                      std::string_view password) {
  return {hex_digest(EVP_md5(), username, realm, password),
          hex_digest(EVP_sha256(), username, realm, password)};
}

} // namespace starling::directory
