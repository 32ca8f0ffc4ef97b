// The web UI's built files (web/, built into build/<preset>/web/dist), compiled into the binary.
#pragma once

#include <span>

#include "http/embedded_file.h"

namespace starling::app {

// Defined by the starling_web_assets library (src/app/CMakeLists.txt); empty when the
// build has no web UI.
std::span<const http::EmbeddedFile> web_assets();

} // namespace starling::app
