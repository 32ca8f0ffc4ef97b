// The REST API under /api/v1: finds the route, authenticates and authorises the caller, answers.
#include "api/api.h"

#include <exception>
#include <variant>

#include <spdlog/spdlog.h>

#include "api/data_resources.h"
#include "api/problem.h"
#include "api/resources.h"

namespace starling::api {

namespace {

core::Clock::Duration seconds(std::uint32_t count) {
  return std::chrono::seconds(count);
}

} // namespace

Api::Api(ApiServices& services)
    : sessions_(services.clock, {seconds(services.config.http.session_lifetime),
                                 seconds(services.config.http.session_idle_timeout)}),
      throttle_(services.clock, services.metrics), authenticator_(services, sessions_) {
  add_session_routes(router_, services, sessions_, throttle_);
  add_token_routes(router_, services);
  add_user_routes(router_, services, sessions_);
  add_extension_routes(router_, services);
  add_device_routes(router_, services);
  add_group_routes(router_, services);
  add_trunk_routes(router_, services);
  add_outbound_route_routes(router_, services);
  add_registration_routes(router_, services);
  add_call_routes(router_, services);
  add_call_record_routes(router_, services);
  add_system_routes(router_, services);
  add_address_book_routes(router_, services);
  add_contact_routes(router_, services);
  add_openapi_routes(router_);
}

http::Response Api::handle(const http::Request& request, const http::RequestContext& context) {
  auto found = router_.find(request);
  if (auto* refusal = std::get_if<http::Response>(&found)) {
    return std::move(*refusal);
  }
  auto& match = std::get<RouteMatch>(found);
  const Route& route = *match.route;
  std::optional<Caller> caller;
  if (route.audience != Audience::everyone) {
    auto authenticated = authenticator_.authenticate(request);
    if (!authenticated) {
      return std::move(authenticated.error());
    }
    if (auto refusal = authenticator_.authorize(request, route, *authenticated)) {
      return std::move(*refusal);
    }
    caller = std::move(authenticated->caller);
  }
  const ApiCall call{request, context, caller ? &*caller : nullptr, std::move(match.path),
                     match.query};
  try {
    return route.handler(call);
  } catch (const std::exception& failure) {
    // A broken invariant in one handler must not take the HTTP server down with it.
    spdlog::error("api: {} {} failed: {}", request.method_string(), request.target(),
                  failure.what());
    return problem(request, http::Status::internal_server_error,
                   "the server failed to answer; the log says why");
  }
}

http::EventStreamAuthorizer Api::event_stream_authorizer() {
  return [this](const http::Request& request,
                const http::RequestContext&) -> std::expected<http::Viewer, http::Response> {
    auto authenticated = authenticator_.authenticate(request);
    if (!authenticated) {
      return std::unexpected(std::move(authenticated.error()));
    }
    const Caller& caller = authenticated->caller;
    if (!caller.may(Scope::calls_read)) {
      return std::unexpected(authenticator_.missing_scope(request, Scope::calls_read));
    }
    return http::Viewer{caller.user_id, caller.is_admin()};
  };
}

} // namespace starling::api
