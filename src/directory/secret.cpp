// Random passwords for new accounts, from the kernel's CSPRNG via libsodium.
#include "directory/secret.h"

#include <cstdint>
#include <string_view>

#include <sodium.h>

#include "directory/detail/sodium.h"

namespace starling::directory {

std::string generate_password(std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  detail::ensure_sodium();
  std::string password(length, ' ');
  for (auto& c : password) {
    // randombytes_uniform avoids the modulo bias of rand() % n.
    c = kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
  }
  return password;
}

} // namespace starling::directory
