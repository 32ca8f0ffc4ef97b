// Reads starling.toml into a Config, rejecting unknown keys and bad values with their line.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"

namespace starling::core {

struct ConfigError {
  std::string source;     // file name, or "<string>"
  std::uint32_t line = 0; // 0 when the error belongs to no line
  std::string key;        // dotted key, empty for syntax errors
  std::string message;

  // "starling.toml:12: sip.udp_port: expected a port number (1-65535), got 70000"
  [[nodiscard]] std::string to_string() const;
};

// Parses TOML text; `source` names it in errors.
[[nodiscard]] std::expected<Config, ConfigError> parse_config(std::string_view toml_text,
                                                              std::string_view source);

// Reads and parses a file; a missing or unreadable file is an error too.
[[nodiscard]] std::expected<Config, ConfigError>
load_config_file(const std::filesystem::path& path);

// Every key the loader accepts, in documentation order (docs/configuration.md lists them all).
[[nodiscard]] std::vector<std::string_view> config_keys();

} // namespace starling::core
