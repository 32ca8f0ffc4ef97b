// Which handler answers a request: routes by method and path pattern ("/users/{name}").
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/url/params_view.hpp>

#include "api/caller.h"
#include "http/handler.h"

namespace starling::api {

// Who may use a route. `users` routes are open to every logged-in user, and their handlers
// limit each user to their own data; `admins` routes refuse everyone else with 403.
enum class Audience { everyone, users, admins };

// One request as a route handler sees it: the caller is already authenticated (null only
// on `everyone` routes) and allowed the route's scope.
struct ApiCall {
  const http::Request& request;
  const http::RequestContext& context;
  const Caller* caller = nullptr;
  // Path parameters by name, percent-decoded ("/users/{name}" → {"name", "alice"}).
  std::vector<std::pair<std::string, std::string>> path;
  boost::urls::params_view query;

  [[nodiscard]] std::string_view path_param(std::string_view name) const;
};

using RouteHandler = std::function<http::Response(const ApiCall&)>;

// Makes route handlers from the members of the object a resource's routes share, or from
// functions that take `target` first:
//   const auto to = handlers_of(resource);  router.add({..., to(&UserResource::list)});
template <typename Target> auto handlers_of(Target target) {
  return [target](auto callable) -> RouteHandler { return std::bind_front(callable, target); };
}

struct Route {
  http::Verb verb = http::Verb::get;
  std::string pattern; // below /api/v1, e.g. "/users/{name}"
  Audience audience = Audience::users;
  Scope scope = Scope::directory_read; // what a token needs; ignored for `everyone`
  RouteHandler handler;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::pair<std::string, std::string>> path;
  boost::urls::params_view query;
};

class Router {
public:
  void add(Route route);

  // The route for a request target such as "/api/v1/users/alice?limit=5", or the problem
  // response saying why there is none: 404 for an unknown path, 405 (with Allow) for a
  // known path and another method, 400 for a target that is not a valid origin-form.
  [[nodiscard]] std::variant<RouteMatch, http::Response> find(const http::Request& request) const;

  [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }

private:
  std::vector<Route> routes_;
};

inline constexpr std::string_view kApiPrefix = "/api/v1";

} // namespace starling::api
