// /trunks: SIP trunks to providers, with their live registration state (administrators).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "api/directory_json.h"
#include "api/json_body.h"
#include "api/problem.h"
#include "api/request_fields.h"
#include "api/resources.h"
#include "api/trunk_json.h"

namespace starling::api {

namespace {

class TrunkResource {
public:
  explicit TrunkResource(ApiServices& services) : services_(services) {}

  http::Response list(const ApiCall& call) {
    auto page = page_of(call);
    if (!page) {
      return std::move(page.error());
    }
    auto trunks = services_.store.list_trunks();
    if (!trunks) {
      return store_problem(call.request, trunks.error());
    }
    auto states = services_.store.list_trunk_status();
    if (!states) {
      return store_problem(call.request, states.error());
    }
    boost::json::array items;
    for (const auto& trunk : *trunks) {
      items.push_back(with_status(trunk, *states));
    }
    return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
  }

  http::Response create(const ApiCall& call) {
    auto body = json_object_body(call.request);
    if (!body) {
      return std::move(body.error());
    }
    store::Trunk trunk;
    if (auto applied = apply_trunk_body(call.request, *body, trunk, true); !applied) {
      return std::move(applied.error());
    }
    if (auto refusal = check(call, trunk)) {
      return std::move(*refusal);
    }
    auto added = services_.store.add_trunk(trunk);
    if (!added) {
      return store_problem(call.request, added.error());
    }
    auto response = represent(call, *added, http::Status::created);
    response.set(http::Field::location, fmt::format("{}/trunks/{}", kApiPrefix, added->name));
    return response;
  }

  http::Response read(const ApiCall& call) {
    auto trunk = existing(call);
    if (!trunk) {
      return std::move(trunk.error());
    }
    return represent(call, *trunk, http::Status::ok);
  }

  http::Response change(const ApiCall& call) {
    auto trunk = unchanged_since_read(call);
    if (!trunk) {
      return std::move(trunk.error());
    }
    auto body = json_object_body(call.request);
    if (!body) {
      return std::move(body.error());
    }
    if (auto applied = apply_trunk_body(call.request, *body, *trunk, false); !applied) {
      return std::move(applied.error());
    }
    if (auto refusal = check(call, *trunk)) {
      return std::move(*refusal);
    }
    auto updated = services_.store.update_trunk(*trunk);
    if (!updated) {
      return store_problem(call.request, updated.error());
    }
    return represent(call, *updated, http::Status::ok);
  }

  http::Response remove(const ApiCall& call) {
    auto trunk = unchanged_since_read(call);
    if (!trunk) {
      return std::move(trunk.error());
    }
    auto routes = services_.store.list_outbound_routes();
    if (!routes) {
      return store_problem(call.request, routes.error());
    }
    // A route naming a trunk that is gone would quietly stop carrying calls.
    std::vector<std::string> users;
    for (const auto& route : *routes) {
      if (std::ranges::find(route.trunks, trunk->name) != route.trunks.end()) {
        users.push_back(route.name);
      }
    }
    if (!users.empty()) {
      return problem(call.request, http::Status::conflict,
                     fmt::format("trunk '{}' is used by the routes {}; take it out of them first",
                                 trunk->name, fmt::join(users, ", ")));
    }
    if (auto removed = services_.store.remove_trunk(trunk->id); !removed) {
      return store_problem(call.request, removed.error());
    }
    return no_content(call.request);
  }

private:
  static boost::json::object with_status(const store::Trunk& trunk,
                                         std::span<const store::TrunkStatus> states) {
    auto json = trunk_json(trunk);
    json["status"] = trunk_status_json(trunk, states);
    return json;
  }

  // The trunk with its status; the ETag covers the trunk's settings only (trunk_json.h).
  http::Response represent(const ApiCall& call, const store::Trunk& trunk, http::Status status) {
    auto states = services_.store.list_trunk_status();
    if (!states) {
      return store_problem(call.request, states.error());
    }
    return json_response(call.request, status, with_status(trunk, *states),
                         etag_of(trunk_json(trunk)));
  }

  // What the dial plan could not use, and a registration trunk without a password, are the
  // body's fault: 422 naming the member.
  std::optional<http::Response> check(const ApiCall& call, const store::Trunk& trunk) {
    if (trunk.kind == store::TrunkKind::registration && trunk.password.empty()) {
      return problem(call.request, http::Status::unprocessable_entity,
                     "a registration trunk needs the account's password", "/password");
    }
    if (auto refusal = services_.routing.check_trunk(trunk)) {
      return problem(call.request, http::Status::unprocessable_entity, refusal->message,
                     refusal->field.empty() ? std::string() : pointer_to(refusal->field));
    }
    return std::nullopt;
  }

  Field<store::Trunk> existing(const ApiCall& call) {
    const auto name = call.path_param("name");
    auto trunk = services_.store.find_trunk(name);
    if (!trunk) {
      return std::unexpected(store_problem(call.request, trunk.error()));
    }
    if (!*trunk) {
      return std::unexpected(
          problem(call.request, http::Status::not_found, fmt::format("no trunk named '{}'", name)));
    }
    return std::move(**trunk);
  }

  Field<store::Trunk> unchanged_since_read(const ApiCall& call) {
    auto trunk = existing(call);
    if (!trunk) {
      return trunk;
    }
    if (auto failed = failed_precondition(call.request, etag_of(trunk_json(*trunk)))) {
      return std::unexpected(std::move(*failed));
    }
    return trunk;
  }

  ApiServices& services_;
};

} // namespace

void add_trunk_routes(Router& router, ApiServices& services) {
  auto resource = std::make_shared<TrunkResource>(services);
  const auto to = handlers_of(resource);
  router.add(
      {http::Verb::get, "/trunks", Audience::admins, Scope::trunks_read, to(&TrunkResource::list)});
  router.add({http::Verb::post, "/trunks", Audience::admins, Scope::trunks_write,
              to(&TrunkResource::create)});
  router.add({http::Verb::get, "/trunks/{name}", Audience::admins, Scope::trunks_read,
              to(&TrunkResource::read)});
  router.add({http::Verb::patch, "/trunks/{name}", Audience::admins, Scope::trunks_write,
              to(&TrunkResource::change)});
  router.add({http::Verb::delete_, "/trunks/{name}", Audience::admins, Scope::trunks_write,
              to(&TrunkResource::remove)});
}

} // namespace starling::api
