// An spdlog formatter that writes one JSON object per line, for log shippers.
#pragma once

#include <spdlog/formatter.h>

namespace starling::core {

class JsonLogFormatter final : public spdlog::formatter {
public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& out) override;
  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override;
};

} // namespace starling::core
