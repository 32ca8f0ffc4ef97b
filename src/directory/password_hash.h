// Login passwords, hashed with argon2id so that a stolen database reveals none of them.
#pragma once

#include <string>
#include <string_view>

namespace starling::directory {

// An argon2id hash in libsodium's self-describing form ("$argon2id$v=19$m=…").
[[nodiscard]] std::string hash_password(std::string_view password);

// True when `password` matches `hash`; takes as long as hashing does, by design.
[[nodiscard]] bool verify_password(std::string_view hash, std::string_view password);

} // namespace starling::directory
