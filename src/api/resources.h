// The resources of the REST API: each adds its routes to the router (Api's constructor calls them).
#pragma once

#include "api/login_throttle.h"
#include "api/router.h"
#include "api/services.h"
#include "api/sessions.h"

namespace starling::api {

// /session: log in and out (needs the sessions and the login throttle as well).
void add_session_routes(Router& router, ApiServices& services, Sessions& sessions,
                        LoginThrottle& throttle);
void add_token_routes(Router& router, ApiServices& services);
void add_user_routes(Router& router, ApiServices& services, Sessions& sessions);
void add_extension_routes(Router& router, ApiServices& services);
void add_device_routes(Router& router, ApiServices& services);
void add_group_routes(Router& router, ApiServices& services);
// /trunks: SIP trunks with their registration state; /routes: outbound routes, in order.
void add_trunk_routes(Router& router, ApiServices& services);
void add_outbound_route_routes(Router& router, ApiServices& services);
// /openapi.yaml: docs/openapi.yaml as built into the binary.
void add_openapi_routes(Router& router);

} // namespace starling::api
