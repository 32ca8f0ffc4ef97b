// Who a request comes from (session cookie or API token) and whether they may use a route.
#pragma once

#include <expected>
#include <optional>
#include <string>

#include "api/caller.h"
#include "api/router.h"
#include "api/services.h"
#include "api/sessions.h"
#include "http/handler.h"

namespace starling::api {

struct Authenticated {
  Caller caller;
  // Set when a session cookie authenticated the request: what X-CSRF-Token must carry on
  // requests that change something.
  std::optional<std::string> csrf_token;
};

class Authenticator {
public:
  Authenticator(ApiServices& services, Sessions& sessions);

  // The caller, or a 401 (with WWW-Authenticate) when the request carries no live session
  // and no valid token; a token wins over a cookie when a request has both.
  std::expected<Authenticated, http::Response> authenticate(const http::Request& request);

  // A 403 when the caller may not use the route (not an administrator, a token without the
  // route's scope, a cookie-authenticated change without the CSRF token); else nothing.
  [[nodiscard]] std::optional<http::Response>
  authorize(const http::Request& request, const Route& route, const Authenticated& who) const;

  [[nodiscard]] http::Response missing_scope(const http::Request& request, Scope scope) const;

private:
  std::expected<Authenticated, http::Response> by_token(const http::Request& request,
                                                        std::string_view secret);
  std::expected<Authenticated, http::Response> by_session(const http::Request& request,
                                                          std::string_view session_id);

  ApiServices& services_;
  Sessions& sessions_;
};

} // namespace starling::api
