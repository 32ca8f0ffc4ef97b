// The REST API under /api/v1: finds the route, authenticates and authorises the caller, answers.
#pragma once

#include "api/authenticator.h"
#include "api/login_throttle.h"
#include "api/router.h"
#include "api/services.h"
#include "api/sessions.h"
#include "http/handler.h"
#include "http/live_events.h"

namespace starling::api {

class Api final : public http::Handler {
public:
  explicit Api(ApiServices& services);

  http::Response handle(const http::Request& request, const http::RequestContext& context) override;

  // Lets a logged-in user (or a token with calls:read) open /api/v1/events.
  http::EventStreamAuthorizer event_stream_authorizer();

  // Every route, for the test that keeps docs/openapi.yaml in step with the code.
  [[nodiscard]] const Router& router() const { return router_; }

private:
  Sessions sessions_;
  LoginThrottle throttle_;
  Authenticator authenticator_;
  Router router_;
};

} // namespace starling::api
