// Adds the security headers to every response the HTTP server sends.
#include "http/security_headers.h"

#include "http/request_path.h"

namespace starling::http {

void add_security_headers(Response& response, bool secure, std::string_view path) {
  if (secure) {
    response.set(Field::strict_transport_security, "max-age=31536000");
  }
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set("X-Frame-Options", "DENY");
  // A handler's own policy stays: uploads are sandboxed more strictly than the web UI.
  if (response.find("Content-Security-Policy") == response.end()) {
    response.set("Content-Security-Policy", kContentSecurityPolicy);
  }
  response.set("Permissions-Policy", "camera=(), geolocation=(), microphone=(self), payment=()");
  if (is_api_path(path)) {
    response.set(Field::cache_control, "no-store");
  }
}

} // namespace starling::http
