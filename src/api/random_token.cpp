// Unguessable identifiers for sessions, CSRF tokens and API tokens.
#include "api/random_token.h"

#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace starling::api {

std::string random_token(std::size_t bytes) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::vector<unsigned char> random(bytes);
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("the system's random number generator failed");
  }
  std::string text;
  std::uint32_t bits = 0;
  int pending = 0;
  for (const unsigned char byte : random) {
    bits = (bits << 8U) | byte;
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      text += kAlphabet[(bits >> static_cast<unsigned>(pending)) & 0x3fU];
    }
  }
  if (pending > 0) {
    text += kAlphabet[(bits << static_cast<unsigned>(6 - pending)) & 0x3fU];
  }
  return text;
}

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace starling::api
