// Sets up spdlog for the process: stderr, plain text or JSON lines.
#pragma once

#include <string_view>

#include "core/config.h"

namespace starling::core {

// Installs the process-wide default logger. `level` is one of spdlog's level names.
void setup_logging(std::string_view level, LogFormat format);

} // namespace starling::core
