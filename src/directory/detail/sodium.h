// Makes sure libsodium is initialised before any of its functions runs.
#pragma once

#include <stdexcept>

#include <sodium.h>

namespace starling::directory::detail {

inline void ensure_sodium() {
  // sodium_init is thread-safe and idempotent; below zero means no usable randomness.
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium failed to initialise");
  }
}

} // namespace starling::directory::detail
