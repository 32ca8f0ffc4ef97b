// /groups: ring and pickup groups; every user reads them, administrators change them.
#include <algorithm>
#include <functional>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/directory_json.h"
#include "api/json_body.h"
#include "api/problem.h"
#include "api/request_fields.h"
#include "api/resources.h"

namespace starling::api {

namespace {

http::Response list(ApiServices& services, const ApiCall& call) {
  auto page = page_of(call);
  if (!page) {
    return std::move(page.error());
  }
  auto groups = services.directory.groups();
  if (!groups) {
    return directory_problem(call.request, groups.error());
  }
  boost::json::array items;
  for (const auto& group : *groups) {
    items.push_back(group_json(group));
  }
  return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
}

Field<store::Group> existing(ApiServices& services, const ApiCall& call, std::string_view name) {
  auto group = services.store.find_group(name);
  if (!group) {
    return std::unexpected(store_problem(call.request, group.error()));
  }
  if (!*group) {
    return std::unexpected(
        problem(call.request, http::Status::not_found, fmt::format("no group named '{}'", name)));
  }
  return std::move(**group);
}

// Makes the group's members exactly `wanted`; a missing user is the body's fault (422).
std::optional<http::Response> set_members(ApiServices& services, const ApiCall& call,
                                          const store::Group& group,
                                          const std::vector<std::string>& wanted) {
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (std::ranges::find(group.member_names, wanted[i]) != group.member_names.end()) {
      continue;
    }
    if (auto added = services.directory.add_group_member(group.name, wanted[i]); !added) {
      if (added.error().kind == directory::Error::Kind::not_found) {
        return problem(call.request, http::Status::unprocessable_entity, added.error().message,
                       fmt::format("/members/{}", i));
      }
      return directory_problem(call.request, added.error());
    }
  }
  for (const auto& member : group.member_names) {
    if (std::ranges::find(wanted, member) != wanted.end()) {
      continue;
    }
    if (auto removed = services.directory.remove_group_member(group.name, member); !removed) {
      return directory_problem(call.request, removed.error());
    }
  }
  return std::nullopt;
}

http::Response read(ApiServices& services, const ApiCall& call) {
  auto group = existing(services, call, call.path_param("name"));
  if (!group) {
    return std::move(group.error());
  }
  const auto json = group_json(*group);
  return json_response(call.request, http::Status::ok, json, etag_of(json));
}

http::Response create(ApiServices& services, const ApiCall& call) {
  auto body = json_object_body(call.request);
  if (!body) {
    return std::move(body.error());
  }
  if (auto unknown = unknown_member(call.request, *body, {"name", "display_name", "members"})) {
    return std::move(*unknown);
  }
  auto name = required_string(call.request, *body, "name");
  auto display_name = optional_string(call.request, *body, "display_name");
  auto members = optional_strings(call.request, *body, "members");
  if (!name || !display_name || !members) {
    return std::move(!name ? name.error() : !display_name ? display_name.error() : members.error());
  }
  auto added = services.directory.add_group(*name, display_name->value_or(""));
  if (!added) {
    return directory_problem(call.request, added.error());
  }
  if (*members) {
    if (auto refusal = set_members(services, call, *added, **members)) {
      // A group without the members asked for is not what was asked: undo.
      (void)services.directory.remove_group(added->name);
      return std::move(*refusal);
    }
  }
  auto group = existing(services, call, added->name);
  if (!group) {
    return std::move(group.error());
  }
  const auto json = group_json(*group);
  auto response = json_response(call.request, http::Status::created, json, etag_of(json));
  response.set(http::Field::location, fmt::format("{}/groups/{}", kApiPrefix, group->name));
  return response;
}

http::Response change(ApiServices& services, const ApiCall& call) {
  auto group = existing(services, call, call.path_param("name"));
  if (!group) {
    return std::move(group.error());
  }
  if (auto failed = failed_precondition(call.request, etag_of(group_json(*group)))) {
    return std::move(*failed);
  }
  auto body = json_object_body(call.request);
  if (!body) {
    return std::move(body.error());
  }
  if (auto unknown = unknown_member(call.request, *body, {"display_name", "members"})) {
    return std::move(*unknown);
  }
  auto display_name = optional_string(call.request, *body, "display_name");
  auto members = optional_strings(call.request, *body, "members");
  if (!display_name || !members) {
    return std::move(!display_name ? display_name.error() : members.error());
  }
  if (*display_name) {
    if (auto set = services.directory.set_group_display_name(group->name, **display_name); !set) {
      return directory_problem(call.request, set.error());
    }
  }
  if (*members) {
    if (auto refusal = set_members(services, call, *group, **members)) {
      return std::move(*refusal);
    }
  }
  return read(services, call);
}

http::Response remove(ApiServices& services, const ApiCall& call) {
  auto group = existing(services, call, call.path_param("name"));
  if (!group) {
    return std::move(group.error());
  }
  if (auto failed = failed_precondition(call.request, etag_of(group_json(*group)))) {
    return std::move(*failed);
  }
  if (auto removed = services.directory.remove_group(group->name); !removed) {
    return directory_problem(call.request, removed.error());
  }
  return no_content(call.request);
}

} // namespace

void add_group_routes(Router& router, ApiServices& services) {
  const auto to = handlers_of(std::ref(services));
  router.add({http::Verb::get, "/groups", Audience::users, Scope::directory_read, to(list)});
  router.add({http::Verb::post, "/groups", Audience::admins, Scope::directory_write, to(create)});
  router.add({http::Verb::get, "/groups/{name}", Audience::users, Scope::directory_read, to(read)});
  router.add(
      {http::Verb::patch, "/groups/{name}", Audience::admins, Scope::directory_write, to(change)});
  router.add({http::Verb::delete_, "/groups/{name}", Audience::admins, Scope::directory_write,
              to(remove)});
}

} // namespace starling::api
