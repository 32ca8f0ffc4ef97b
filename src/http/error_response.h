// The server's own error answers (400, 404, 405, 413, 431, 500) as RFC 9457 problem documents.
#pragma once

#include <string_view>

#include "http/handler.h"

namespace starling::http {

// `request` gives the HTTP version and keep-alive; `detail` says what was wrong.
[[nodiscard]] Response error_response(const Request& request, Status status,
                                      std::string_view detail);

} // namespace starling::http
