// An spdlog formatter that writes one JSON object per line, for log shippers.
#include "core/json_log_formatter.h"

#include <chrono>
#include <iterator>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "core/utc_time.h"

namespace starling::core {
namespace {

// RFC 8259 §7: quote, backslash and control characters must be escaped.
void append_json_string(std::string_view text, spdlog::memory_buf_t& out) {
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
    case '"':
      out.append(std::string_view("\\\""));
      break;
    case '\\':
      out.append(std::string_view("\\\\"));
      break;
    case '\n':
      out.append(std::string_view("\\n"));
      break;
    case '\r':
      out.append(std::string_view("\\r"));
      break;
    case '\t':
      out.append(std::string_view("\\t"));
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
      } else {
        out.push_back(c);
      }
    }
  }
  out.push_back('"');
}

} // namespace

void JsonLogFormatter::format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& out) {
  const auto since_epoch = message.time.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch - seconds);
  fmt::format_to(std::back_inserter(out), R"({{"time":"{:%Y-%m-%dT%H:%M:%S}.{:06d}Z","level":)",
                 core::utc_fields(std::chrono::sys_seconds(seconds)), micros.count());
  const auto level = spdlog::level::to_string_view(message.level);
  append_json_string(std::string_view(level.data(), level.size()), out);
  if (message.logger_name.size() > 0) {
    out.append(std::string_view(R"(,"logger":)"));
    append_json_string(std::string_view(message.logger_name.data(), message.logger_name.size()),
                       out);
  }
  out.append(std::string_view(R"(,"message":)"));
  append_json_string(std::string_view(message.payload.data(), message.payload.size()), out);
  out.append(std::string_view("}\n"));
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>();
}

} // namespace starling::core
