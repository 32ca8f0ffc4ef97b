// The headers every response carries: HSTS, no sniffing, no framing, a strict CSP.
#pragma once

#include <string_view>

#include "http/handler.h"

namespace starling::http {

// The web UI loads scripts, styles and images only from this origin (no inline scripts)
// and may not be framed (clickjacking).
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'";

// `secure`: the response goes out over TLS (HSTS is only meaningful, and only allowed,
// there). `path`: the request's path; API responses are never cached. A
// Content-Security-Policy the handler set is kept.
void add_security_headers(Response& response, bool secure, std::string_view path);

} // namespace starling::http
