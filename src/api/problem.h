// Error responses as RFC 9457 problem documents (application/problem+json).
#pragma once

#include <string_view>

#include "http/handler.h"

namespace starling::api {

// {"type":"about:blank","title":<reason phrase>,"status":N,"detail":...,"field":...}.
// `field` names the request member that is wrong (a JSON pointer such as "/name", or a
// query parameter), so a form can put the message next to it; empty when none is.
http::Response problem(const http::Request& request, http::Status status, std::string_view detail,
                       std::string_view field = {});

} // namespace starling::api
