// Digest hashes with OpenSSL's EVP interface, hex-encoded as the RFC 7616 grammar wants.
#include "sip/auth/digest_hash.h"

#include <array>
#include <cstddef>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "sip/auth/openssl_digests.h"

namespace starling::sip {

namespace {

const EVP_MD* evp_for(DigestAlgorithm algorithm) {
  switch (algorithm) {
  case DigestAlgorithm::md5:
    return fetched_md5();
  case DigestAlgorithm::sha256:
    return fetched_sha256();
  default:
    // Callers check is_supported_digest_algorithm(): reaching here is a programming error.
    throw std::logic_error("digest_hash_hex: unsupported algorithm");
  }
}

char lower_hex_digit(unsigned value) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  return kDigits[value & 0x0fU];
}

char to_lower_hex(char c) {
  return (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

bool is_supported_digest_algorithm(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::md5 || algorithm == DigestAlgorithm::sha256;
}

std::string digest_hash_hex(DigestAlgorithm algorithm, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int md_len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &md_len, evp_for(algorithm), nullptr) != 1) {
    // Only fails when the provider is missing (an OpenSSL set-up error, not an input).
    throw std::runtime_error("EVP_Digest failed");
  }
  std::string hex;
  hex.reserve(std::size_t{md_len} * 2);
  for (std::size_t i = 0; i < md_len; ++i) {
    hex.push_back(lower_hex_digit(static_cast<unsigned>(md[i]) >> 4U));
    hex.push_back(lower_hex_digit(md[i]));
  }
  return hex;
}

std::string digest_ha1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                       std::string_view password) {
  std::string a1;
  a1.reserve(username.size() + realm.size() + password.size() + 2);
  a1.append(username).append(":").append(realm).append(":").append(password);
  return digest_hash_hex(algorithm, a1);
}

std::string digest_response(DigestAlgorithm algorithm, std::string_view ha1_hex,
                            const DigestResponseInput& input) {
  std::string a2;
  a2.append(input.method).append(":").append(input.uri);
  const std::string ha2 = digest_hash_hex(algorithm, a2);
  std::string kd;
  kd.append(ha1_hex).append(":").append(input.nonce).append(":").append(input.nc);
  kd.append(":").append(input.cnonce).append(":").append(input.qop).append(":").append(ha2);
  return digest_hash_hex(algorithm, kd);
}

bool hex_equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false; // the length is the algorithm's, not a secret
  }
  std::string lower_a(a);
  std::string lower_b(b);
  for (std::size_t i = 0; i < a.size(); ++i) {
    lower_a[i] = to_lower_hex(a[i]);
    lower_b[i] = to_lower_hex(b[i]);
  }
  return CRYPTO_memcmp(lower_a.data(), lower_b.data(), a.size()) == 0;
}

} // namespace starling::sip
