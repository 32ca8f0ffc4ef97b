// HMAC-SHA-256 with precomputed key pads.
#include "sip/auth/hmac_sha256.h"

#include <stdexcept>

#include "sip/auth/openssl_digests.h"

namespace starling::sip {

namespace {

constexpr std::size_t kBlockSize = 64; // SHA-256's block, RFC 2104's B

} // namespace

HmacSha256Key::Context HmacSha256Key::keyed_state(std::span<const std::uint8_t> key,
                                                  std::uint8_t pad) {
  if (key.size() > kBlockSize) {
    // RFC 2104 §2 would hash such a key first; nonce secrets are 32 bytes.
    throw std::logic_error("HmacSha256Key: keys longer than one block are not supported");
  }
  std::array<std::uint8_t, kBlockSize> block{};
  block.fill(pad);
  for (std::size_t i = 0; i < key.size(); ++i) {
    block.at(i) ^= key[i];
  }
  HmacSha256Key::Context context{EVP_MD_CTX_new()};
  if (!context || EVP_DigestInit_ex(context.get(), fetched_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), block.data(), block.size()) != 1) {
    throw std::runtime_error("SHA-256 is not available from OpenSSL");
  }
  return context;
}

HmacSha256Key::HmacSha256Key(std::span<const std::uint8_t> key)
    : inner_(keyed_state(key, 0x36)), outer_(keyed_state(key, 0x5c)) {}

HmacSha256 HmacSha256Key::mac(std::span<const std::uint8_t> message) const {
  // Kept per thread and overwritten: a context made and freed per MAC took one more
  // allocation each time (184 against 315 ns per MAC, measured warm).
  thread_local const Context kScratch{EVP_MD_CTX_new()};
  EVP_MD_CTX* const context = kScratch.get();
  HmacSha256 inner_hash{};
  HmacSha256 result{};
  unsigned int length = 0;
  // Failures here mean OpenSSL ran out of memory or lost its provider: not an input error.
  if (!context || EVP_MD_CTX_copy_ex(context, inner_.get()) != 1 ||
      EVP_DigestUpdate(context, message.data(), message.size()) != 1 ||
      EVP_DigestFinal_ex(context, inner_hash.data(), &length) != 1 ||
      EVP_MD_CTX_copy_ex(context, outer_.get()) != 1 ||
      EVP_DigestUpdate(context, inner_hash.data(), inner_hash.size()) != 1 ||
      EVP_DigestFinal_ex(context, result.data(), &length) != 1) {
    throw std::runtime_error("HMAC-SHA-256 failed");
  }
  return result;
}

} // namespace starling::sip
