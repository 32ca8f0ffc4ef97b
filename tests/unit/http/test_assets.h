// The test web UI embedded from tests/unit/http/data by starling_embed_files.
#pragma once

#include <span>

#include "http/embedded_file.h"

namespace starling::http {

std::span<const EmbeddedFile> test_assets();

} // namespace starling::http
