// Responses that browsers save as a file: CSV exports and vCard address books.
#pragma once

#include <string>
#include <string_view>

#include "http/handler.h"

namespace starling::api {

// 200 with `body` as `content_type` and Content-Disposition: attachment; filename="…".
http::Response attachment(const http::Request& request, std::string_view content_type,
                          std::string body, std::string_view filename);

} // namespace starling::api
