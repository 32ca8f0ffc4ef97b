// Passwords given to the command line: read from standard input, never from arguments,
// which every user of the machine can see in `ps`.
#pragma once

#include <string>

namespace starling::app {

// Reads the first line of standard input, without its line ending.
[[nodiscard]] std::string read_password_from_stdin();

} // namespace starling::app
