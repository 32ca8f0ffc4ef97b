// Digest hashes with OpenSSL's EVP interface, hex-encoded as the RFC 7616 grammar wants.
#include "sip/auth/digest_hash.h"

#include <array>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <stdexcept>

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

// H(part1 part2 ...) as lowercase hex. The context is kept per thread and reset for each
// hash: EVP_Digest makes and frees one (and the provider's state) every time, which the
// registration benchmark's profile showed.
HexDigest hash_hex(DigestAlgorithm algorithm, std::initializer_list<std::string_view> parts) {
  using Context = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
  thread_local const Context kContext(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int md_len = 0;
  bool ok = kContext && EVP_DigestInit_ex2(kContext.get(), evp_for(algorithm), nullptr) == 1;
  for (const std::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(kContext.get(), part.data(), part.size()) == 1;
  }
  if (!ok || EVP_DigestFinal_ex(kContext.get(), md.data(), &md_len) != 1 ||
      std::size_t{md_len} * 2 > HexDigest::kCapacity) {
    // Only fails when the provider is missing (an OpenSSL set-up error, not an input).
    throw std::runtime_error("digest hash failed");
  }
  return HexDigest::of(std::span(md).first(md_len));
}

} // namespace

bool is_supported_digest_algorithm(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::md5 || algorithm == DigestAlgorithm::sha256;
}

std::string digest_hash_hex(DigestAlgorithm algorithm, std::string_view data) {
  return std::string(hash_hex(algorithm, {data}).view());
}

std::string digest_ha1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                       std::string_view password) {
  return std::string(hash_hex(algorithm, {username, ":", realm, ":", password}).view());
}

HexDigest digest_response(DigestAlgorithm algorithm, std::string_view ha1_hex,
                          const DigestResponseInput& input) {
  const HexDigest ha2 = hash_hex(algorithm, {input.method, ":", input.uri});
  return hash_hex(algorithm, {ha1_hex, ":", input.nonce, ":", input.nc, ":", input.cnonce, ":",
                              input.qop, ":", ha2.view()});
}

bool hex_equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false; // the length is the algorithm's, not a secret
  }
  // Accumulating the differences, rather than stopping at the first, keeps the time
  // independent of where they are; no copies of the two strings are made.
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(lower_hex_char(a[i]) ^ lower_hex_char(b[i]));
  }
  return difference == 0;
}

} // namespace starling::sip
