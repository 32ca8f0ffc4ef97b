// The only answer of the plain-HTTP port: go to the same place over HTTPS.
#pragma once

#include <cstdint>

#include "http/handler.h"

namespace starling::http {

// 301 for GET and HEAD, 308 for other methods (which must not turn into a GET), to
// https://<Host without port>:<https_port><target>; ":443" is left out. A request without
// a usable Host gets 400.
[[nodiscard]] Response redirect_to_https(const Request& request, std::uint16_t https_port);

} // namespace starling::http
