// Where a request goes: its path without the query, and whether that is the REST API.
#pragma once

#include <string_view>

namespace starling::http {

[[nodiscard]] inline std::string_view target_path(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

[[nodiscard]] inline bool is_api_path(std::string_view path) {
  return path == "/api" || path.starts_with("/api/");
}

} // namespace starling::http
