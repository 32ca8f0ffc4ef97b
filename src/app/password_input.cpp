// Passwords given to the command line: read from standard input, never from arguments,
// which every user of the machine can see in `ps`.
#include "app/password_input.h"

#include <iostream>

#include "app/command_context.h"

namespace starling::app {

std::string read_password_from_stdin() {
  std::string password;
  if (!std::getline(std::cin, password)) {
    throw CommandFailure(kExitUsage, "--password-stdin was given, but standard input is empty");
  }
  if (password.ends_with('\r')) {
    password.pop_back();
  }
  return password;
}

} // namespace starling::app
