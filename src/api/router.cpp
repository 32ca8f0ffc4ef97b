// Route matching by method and path pattern.
#include "api/router.h"

#include <optional>

#include <boost/beast/http/verb.hpp>
#include <boost/url/parse.hpp>

#include "api/problem.h"

namespace starling::api {

namespace {

using PathParams = std::vector<std::pair<std::string, std::string>>;

// Matches decoded path segments against a pattern's segments; "{x}" takes any one segment.
std::optional<PathParams> match(std::string_view pattern, const boost::urls::segments_view& path) {
  PathParams params;
  auto segment = path.begin();
  while (!pattern.empty()) {
    pattern.remove_prefix(1); // the '/'
    const auto slash = pattern.find('/');
    const std::string_view wanted = pattern.substr(0, slash);
    pattern = slash == std::string_view::npos ? std::string_view{} : pattern.substr(slash);
    if (segment == path.end()) {
      return std::nullopt;
    }
    const std::string actual = *segment++;
    if (wanted.starts_with('{') && wanted.ends_with('}')) {
      if (actual.empty()) {
        return std::nullopt;
      }
      params.emplace_back(std::string(wanted.substr(1, wanted.size() - 2)), actual);
    } else if (wanted != actual) {
      return std::nullopt;
    }
  }
  if (segment != path.end()) {
    return std::nullopt;
  }
  return params;
}

} // namespace

std::string_view ApiCall::path_param(std::string_view name) const {
  for (const auto& [key, value] : path) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

void Router::add(Route route) {
  routes_.push_back(std::move(route));
}

std::variant<RouteMatch, http::Response> Router::find(const http::Request& request) const {
  const auto target = boost::urls::parse_origin_form(request.target());
  if (!target) {
    return problem(request, http::Status::bad_request, "the request target is not a valid path");
  }
  std::string_view path = target->encoded_path();
  if (!path.starts_with(kApiPrefix)) {
    return problem(request, http::Status::not_found, "no such API resource");
  }
  // Match on the segments after /api/v1, decoded.
  const auto relative = boost::urls::parse_relative_ref(path.substr(kApiPrefix.size()));
  if (!relative) {
    return problem(request, http::Status::bad_request, "the request target is not a valid path");
  }
  std::string allowed;
  for (const auto& route : routes_) {
    auto params = match(route.pattern, relative->segments());
    if (!params) {
      continue;
    }
    if (route.verb == request.method()) {
      return RouteMatch{&route, std::move(*params), target->params()};
    }
    allowed += allowed.empty() ? "" : ", ";
    allowed += boost::beast::http::to_string(route.verb);
  }
  if (allowed.empty()) {
    return problem(request, http::Status::not_found, "no such API resource");
  }
  auto response = problem(request, http::Status::method_not_allowed,
                          "this resource does not support that method");
  response.set(http::Field::allow, allowed);
  return response;
}

} // namespace starling::api
