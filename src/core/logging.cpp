// Sets up spdlog for the process: stderr, plain text or JSON lines.
#include "core/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/json_log_formatter.h"

namespace starling::core {

void setup_logging(std::string_view level, LogFormat format) {
  // The _mt sink locks per line, so lines from shard threads never interleave.
  auto logger = std::make_shared<spdlog::logger>("starling",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (format == LogFormat::json) {
    logger->set_formatter(std::make_unique<JsonLogFormatter>());
  } else {
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l %v");
  }
  logger->set_level(spdlog::level::from_str(std::string(level)));
  spdlog::set_default_logger(std::move(logger));
}

} // namespace starling::core
