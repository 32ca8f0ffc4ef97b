// Fuzzes the configuration loader: any text gives a Config or one ConfigError, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = starling::core::parse_config(text, "fuzz.toml");
  if (!config) {
    // Rendering touches every field of the error.
    (void)config.error().to_string();
  } else if (config->media.rtp_port_min >= config->media.rtp_port_max) {
    __builtin_trap(); // the loader promised a valid RTP range
  }
  return 0;
}
