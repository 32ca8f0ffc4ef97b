// What every subcommand shares: the configuration, the store and the directory, each
// opened on first use, and the way a command reports failure.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/config.h"
#include "directory/directory.h"
#include "store/store.h"

namespace starling::app {

// Process exit codes, documented in docs/cli.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1; // the command could not do what was asked
inline constexpr int kExitUsage = 2;   // bad arguments or configuration

// Thrown by a command to stop with a message on stderr and an exit code.
class CommandFailure : public std::runtime_error {
public:
  CommandFailure(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  [[nodiscard]] int exit_code() const { return exit_code_; }

private:
  int exit_code_;
};

class CommandContext {
public:
  CommandContext();
  CommandContext(const CommandContext&) = delete;
  CommandContext& operator=(const CommandContext&) = delete;
  CommandContext(CommandContext&&) = delete;
  CommandContext& operator=(CommandContext&&) = delete;
  ~CommandContext();

  // Bound to the global --config option.
  std::string config_path;

  // Each throws CommandFailure when the configuration is bad or the store won't open.
  const core::Config& config();
  store::Store& store();
  directory::Directory& directory();

  // Releases the store (and the directory on it), e.g. before `serve` exits.
  void close_store();

private:
  std::optional<core::Config> config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<directory::Directory> directory_;
};

// Returns the value of a directory call, or throws CommandFailure with its message.
template <typename T> T checked(directory::Result<T> result) {
  if (!result) {
    throw CommandFailure(result.error().kind == directory::Error::Kind::invalid ? kExitUsage
                                                                                : kExitFailure,
                         result.error().message);
  }
  if constexpr (!std::is_void_v<T>) {
    return std::move(*result);
  }
}

// Returns the value of a store call, or throws CommandFailure with its message.
template <typename T> T checked(store::Result<T> result) {
  if (!result) {
    throw CommandFailure(kExitFailure, result.error().message);
  }
  if constexpr (!std::is_void_v<T>) {
    return std::move(*result);
  }
}

} // namespace starling::app
