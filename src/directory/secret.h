// Random passwords for new accounts, from the kernel's CSPRNG via libsodium.
#pragma once

#include <cstddef>
#include <string>

namespace starling::directory {

// Letters and digits without look-alikes (0/O, 1/l/I), so a password read off a screen
// can be typed into a phone's keypad menu without guessing.
[[nodiscard]] std::string generate_password(std::size_t length = 20);

} // namespace starling::directory
