// /routes: the outbound routes, in the order they are tried (administrators).
#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/directory_json.h"
#include "api/json_body.h"
#include "api/problem.h"
#include "api/request_fields.h"
#include "api/resources.h"

namespace starling::api {

namespace {

// Positions stay exact in JavaScript clients (2^53) and leave room to insert between routes.
constexpr std::int64_t kMaxPosition = 1'000'000'000;
// A number never has more leading characters worth stripping.
constexpr std::int64_t kMaxStrip = 32;
// Room between routes added without a position, for one to go in between later.
constexpr std::int64_t kPositionStep = 10;
constexpr std::size_t kMaxTextLength = 64;

boost::json::object route_json(const store::OutboundRoute& route) {
  boost::json::array trunks;
  for (const auto& trunk : route.trunks) {
    trunks.emplace_back(trunk);
  }
  return {{"name", route.name},         {"position", route.position}, {"pattern", route.pattern},
          {"strip", route.strip},       {"prepend", route.prepend},   {"e164", route.e164},
          {"trunks", std::move(trunks)}};
}

using Applied = std::expected<void, http::Response>;

std::unexpected<http::Response> unprocessable(const http::Request& request, std::string_view detail,
                                              std::string_view field) {
  return std::unexpected(problem(request, http::Status::unprocessable_entity, detail, field));
}

Applied apply_texts(const http::Request& request, const boost::json::object& body,
                    store::OutboundRoute& route) {
  for (const auto& [member, target] :
       {std::pair{"pattern", &route.pattern}, std::pair{"prepend", &route.prepend}}) {
    auto value = optional_string(request, body, member);
    if (!value) {
      return std::unexpected(std::move(value.error()));
    }
    if (!*value) {
      continue;
    }
    if ((*value)->size() > kMaxTextLength || has_control_character(**value)) {
      return unprocessable(
          request,
          fmt::format("{} has at most {} characters and no controls", member, kMaxTextLength),
          pointer_to(member));
    }
    *target = std::move(**value);
  }
  return {};
}

Applied apply_numbers(const http::Request& request, const boost::json::object& body,
                      store::OutboundRoute& route) {
  auto position = optional_integer(request, body, "position", -kMaxPosition, kMaxPosition);
  auto strip = optional_integer(request, body, "strip", 0, kMaxStrip);
  auto e164 = optional_bool(request, body, "e164");
  if (!position || !strip || !e164) {
    return std::unexpected(std::move(!position ? position.error()
                                     : !strip  ? strip.error()
                                               : e164.error()));
  }
  route.position = position->value_or(route.position);
  route.strip = static_cast<std::uint32_t>(strip->value_or(route.strip));
  route.e164 = e164->value_or(route.e164);
  return {};
}

// Sets the members a body holds; `with_name` for POST (a route is not renamed).
Applied apply_route_body(const http::Request& request, const boost::json::object& body,
                         store::OutboundRoute& route, bool with_name) {
  auto unknown =
      with_name
          ? unknown_member(request, body,
                           {"name", "position", "pattern", "strip", "prepend", "e164", "trunks"})
          : unknown_member(request, body,
                           {"position", "pattern", "strip", "prepend", "e164", "trunks"});
  if (unknown) {
    return std::unexpected(std::move(*unknown));
  }
  if (with_name) {
    auto name = required_string(request, body, "name");
    if (!name) {
      return std::unexpected(std::move(name.error()));
    }
    route.name = std::move(*name);
  }
  if (auto applied = apply_texts(request, body, route); !applied) {
    return applied;
  }
  if (auto applied = apply_numbers(request, body, route); !applied) {
    return applied;
  }
  auto trunks = optional_strings(request, body, "trunks");
  if (!trunks) {
    return std::unexpected(std::move(trunks.error()));
  }
  if (*trunks) {
    route.trunks = std::move(**trunks);
  }
  return {};
}

class OutboundRouteResource {
public:
  explicit OutboundRouteResource(ApiServices& services) : services_(services) {}

  http::Response list(const ApiCall& call) {
    auto page = page_of(call);
    if (!page) {
      return std::move(page.error());
    }
    auto routes = services_.store.list_outbound_routes();
    if (!routes) {
      return store_problem(call.request, routes.error());
    }
    boost::json::array items;
    for (const auto& route : *routes) {
      items.push_back(route_json(route));
    }
    return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
  }

  http::Response create(const ApiCall& call) {
    auto body = json_object_body(call.request);
    if (!body) {
      return std::move(body.error());
    }
    auto routes = services_.store.list_outbound_routes();
    if (!routes) {
      return store_problem(call.request, routes.error());
    }
    store::OutboundRoute route;
    // Without a position a new route goes last, where one adding routes in order expects it.
    route.position = routes->empty()
                         ? kPositionStep
                         : std::min(routes->back().position + kPositionStep, kMaxPosition);
    if (auto applied = apply_route_body(call.request, *body, route, true); !applied) {
      return std::move(applied.error());
    }
    if (auto refusal = check(call, route)) {
      return std::move(*refusal);
    }
    auto added = services_.store.add_outbound_route(route);
    if (!added) {
      return store_problem(call.request, added.error());
    }
    const auto json = route_json(*added);
    auto response = json_response(call.request, http::Status::created, json, etag_of(json));
    response.set(http::Field::location, fmt::format("{}/routes/{}", kApiPrefix, added->name));
    return response;
  }

  http::Response read(const ApiCall& call) {
    auto route = existing(call);
    if (!route) {
      return std::move(route.error());
    }
    const auto json = route_json(*route);
    return json_response(call.request, http::Status::ok, json, etag_of(json));
  }

  http::Response change(const ApiCall& call) {
    auto route = unchanged_since_read(call);
    if (!route) {
      return std::move(route.error());
    }
    auto body = json_object_body(call.request);
    if (!body) {
      return std::move(body.error());
    }
    if (auto applied = apply_route_body(call.request, *body, *route, false); !applied) {
      return std::move(applied.error());
    }
    if (auto refusal = check(call, *route)) {
      return std::move(*refusal);
    }
    auto updated = services_.store.update_outbound_route(*route);
    if (!updated) {
      return store_problem(call.request, updated.error());
    }
    const auto json = route_json(*updated);
    return json_response(call.request, http::Status::ok, json, etag_of(json));
  }

  http::Response remove(const ApiCall& call) {
    auto route = unchanged_since_read(call);
    if (!route) {
      return std::move(route.error());
    }
    if (auto removed = services_.store.remove_outbound_route(route->id); !removed) {
      return store_problem(call.request, removed.error());
    }
    return no_content(call.request);
  }

private:
  // A route needs trunks that exist and a pattern the dial plan understands; else 422.
  std::optional<http::Response> check(const ApiCall& call, const store::OutboundRoute& route) {
    if (route.trunks.empty()) {
      return problem(call.request, http::Status::unprocessable_entity,
                     "trunks must name at least one trunk", "/trunks");
    }
    for (std::size_t i = 0; i < route.trunks.size(); ++i) {
      auto trunk = services_.store.find_trunk(route.trunks[i]);
      if (!trunk) {
        return store_problem(call.request, trunk.error());
      }
      if (!*trunk) {
        return problem(call.request, http::Status::unprocessable_entity,
                       fmt::format("there is no trunk named '{}'", route.trunks[i]),
                       fmt::format("/trunks/{}", i));
      }
    }
    if (auto refusal = services_.routing.check_outbound_route(route)) {
      return problem(call.request, http::Status::unprocessable_entity, refusal->message,
                     refusal->field.empty() ? std::string() : pointer_to(refusal->field));
    }
    return std::nullopt;
  }

  Field<store::OutboundRoute> existing(const ApiCall& call) {
    const auto name = call.path_param("name");
    auto routes = services_.store.list_outbound_routes();
    if (!routes) {
      return std::unexpected(store_problem(call.request, routes.error()));
    }
    const auto found = std::ranges::find(*routes, name, &store::OutboundRoute::name);
    if (found == routes->end()) {
      return std::unexpected(
          problem(call.request, http::Status::not_found, fmt::format("no route named '{}'", name)));
    }
    return std::move(*found);
  }

  Field<store::OutboundRoute> unchanged_since_read(const ApiCall& call) {
    auto route = existing(call);
    if (!route) {
      return route;
    }
    if (auto failed = failed_precondition(call.request, etag_of(route_json(*route)))) {
      return std::unexpected(std::move(*failed));
    }
    return route;
  }

  ApiServices& services_;
};

} // namespace

void add_outbound_route_routes(Router& router, ApiServices& services) {
  auto resource = std::make_shared<OutboundRouteResource>(services);
  const auto to = handlers_of(resource);
  router.add({http::Verb::get, "/routes", Audience::admins, Scope::trunks_read,
              to(&OutboundRouteResource::list)});
  router.add({http::Verb::post, "/routes", Audience::admins, Scope::trunks_write,
              to(&OutboundRouteResource::create)});
  router.add({http::Verb::get, "/routes/{name}", Audience::admins, Scope::trunks_read,
              to(&OutboundRouteResource::read)});
  router.add({http::Verb::patch, "/routes/{name}", Audience::admins, Scope::trunks_write,
              to(&OutboundRouteResource::change)});
  router.add({http::Verb::delete_, "/routes/{name}", Audience::admins, Scope::trunks_write,
              to(&OutboundRouteResource::remove)});
}

} // namespace starling::api
