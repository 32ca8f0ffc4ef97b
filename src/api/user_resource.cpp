// /users: administrators manage everyone; a user reads themself and changes their own name
// and password.
#include <algorithm>
#include <array>
#include <memory>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/directory_json.h"
#include "api/json_body.h"
#include "api/problem.h"
#include "api/request_fields.h"
#include "api/resources.h"
#include "directory/password_hash.h"

namespace starling::api {

namespace {

// How far a user may call out (docs/trunks.md, "Who may call what"), narrowest first.
constexpr std::array<std::string_view, 4> kCallClasses = {"internal", "local", "national",
                                                          "international"};

bool is_call_class(std::string_view name) {
  return std::ranges::find(kCallClasses, name) != kCallClasses.end();
}

std::optional<store::Role> role_from_name(std::string_view name) {
  if (name == "admin") {
    return store::Role::admin;
  }
  if (name == "user") {
    return store::Role::user;
  }
  return std::nullopt;
}

class UserResource {
public:
  UserResource(ApiServices& services, Sessions& sessions)
      : services_(services), sessions_(sessions) {}

  http::Response list(const ApiCall& call) {
    auto page = page_of(call);
    if (!page) {
      return std::move(page.error());
    }
    auto users = services_.directory.users();
    auto extensions = services_.directory.extensions();
    if (!users || !extensions) {
      return directory_problem(call.request, !users ? users.error() : extensions.error());
    }
    boost::json::array items;
    for (const auto& user : *users) {
      items.push_back(user_json(user, *extensions));
    }
    return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
  }

  http::Response create(const ApiCall& call) {
    auto body = json_object_body(call.request);
    if (!body) {
      return std::move(body.error());
    }
    if (auto unknown = unknown_member(
            call.request, *body,
            {"name", "display_name", "role", "password", "extension", "call_class"})) {
      return std::move(*unknown);
    }
    auto name = required_string(call.request, *body, "name");
    auto display_name = optional_string(call.request, *body, "display_name");
    auto role = optional_string(call.request, *body, "role");
    auto password = optional_string(call.request, *body, "password");
    auto extension = optional_string(call.request, *body, "extension");
    auto call_class = optional_string(call.request, *body, "call_class");
    for (auto* failed : {&display_name, &role, &password, &extension, &call_class}) {
      if (!*failed) {
        return std::move(failed->error());
      }
    }
    if (!name) {
      return std::move(name.error());
    }
    const auto parsed_role = role_from_name(role->value_or("user"));
    if (!parsed_role) {
      return problem(call.request, http::Status::unprocessable_entity,
                     R"(role must be "admin" or "user")", "/role");
    }
    if (*call_class && !is_call_class(**call_class)) {
      return call_class_problem(call.request);
    }
    auto created =
        services_.directory.add_user({std::move(*name), display_name->value_or(""), *parsed_role,
                                      std::move(*password), std::move(*extension)});
    if (!created) {
      return directory_problem(call.request, created.error());
    }
    if (*call_class) {
      if (auto set = services_.store.set_user_call_class(created->row.id, **call_class); !set) {
        return store_problem(call.request, set.error());
      }
      created->row.call_class = **call_class;
    }
    auto represented = representation(call.request, created->row);
    if (!represented) {
      return std::move(represented.error());
    }
    auto json = *represented;
    if (created->generated_password) {
      json["password"] = *created->generated_password;
    }
    auto response = json_response(call.request, http::Status::created, json, etag_of(*represented));
    response.set(http::Field::location, fmt::format("{}/users/{}", kApiPrefix, created->row.name));
    return response;
  }

  http::Response read(const ApiCall& call) {
    auto user = visible_user(call);
    if (!user) {
      return std::move(user.error());
    }
    auto json = representation(call.request, *user);
    if (!json) {
      return std::move(json.error());
    }
    return json_response(call.request, http::Status::ok, *json, etag_of(*json));
  }

  // The user a PATCH or DELETE names, if the caller may see them and the request's If-Match
  // still matches them.
  Field<store::User> unchanged_since_read(const ApiCall& call) {
    auto user = visible_user(call);
    if (!user) {
      return std::unexpected(std::move(user.error()));
    }
    auto current = representation(call.request, *user);
    if (!current) {
      return std::unexpected(std::move(current.error()));
    }
    if (auto failed = failed_precondition(call.request, etag_of(*current))) {
      return std::unexpected(std::move(*failed));
    }
    return user;
  }

  http::Response change(const ApiCall& call) {
    auto user = unchanged_since_read(call);
    if (!user) {
      return std::move(user.error());
    }
    auto body = json_object_body(call.request);
    if (!body) {
      return std::move(body.error());
    }
    if (auto unknown = unknown_member(
            call.request, *body,
            {"display_name", "role", "password", "current_password", "call_class"})) {
      return std::move(*unknown);
    }
    auto display_name = optional_string(call.request, *body, "display_name");
    auto role = optional_string(call.request, *body, "role");
    auto password = optional_string(call.request, *body, "password");
    auto current_password = optional_string(call.request, *body, "current_password");
    auto call_class = optional_string(call.request, *body, "call_class");
    for (auto* failed : {&display_name, &role, &password, &current_password, &call_class}) {
      if (!*failed) {
        return std::move(failed->error());
      }
    }
    if (auto refusal = check_change(call, *user, *role, *password, *current_password)) {
      return std::move(*refusal);
    }
    if (auto refusal = check_call_class_change(call, *call_class)) {
      return std::move(*refusal);
    }
    if (*call_class) {
      if (auto set = services_.store.set_user_call_class(user->id, **call_class); !set) {
        return store_problem(call.request, set.error());
      }
    }
    if (*password) {
      if (auto set = services_.directory.set_password(user->name, **password); !set) {
        return directory_problem(call.request, set.error());
      }
      // Whoever knew the old password is logged out everywhere but here.
      const bool self = user->id == call.caller->user_id;
      sessions_.close_all_of(user->id,
                             self ? session_cookie(call.request[http::Field::cookie]) : "");
    }
    if (*role) {
      if (auto set = services_.directory.set_role(user->name, *role_from_name(**role)); !set) {
        return directory_problem(call.request, set.error());
      }
    }
    if (*display_name) {
      if (auto set = services_.directory.set_display_name(user->name, **display_name); !set) {
        return directory_problem(call.request, set.error());
      }
    }
    return read(call);
  }

  http::Response remove(const ApiCall& call) {
    auto user = unchanged_since_read(call);
    if (!user) {
      return std::move(user.error());
    }
    if (auto removed = services_.directory.remove_user(user->name); !removed) {
      return directory_problem(call.request, removed.error());
    }
    sessions_.close_all_of(user->id);
    return no_content(call.request);
  }

private:
  // What a change may not do: a user changing their role, or their password without
  // proving they know the current one (a session left open on a shared screen).
  std::optional<http::Response> check_change(const ApiCall& call, const store::User& user,
                                             const std::optional<std::string>& role,
                                             const std::optional<std::string>& password,
                                             const std::optional<std::string>& current_password) {
    if (role && !call.caller->is_admin()) {
      return problem(call.request, http::Status::forbidden, "only administrators change roles",
                     "/role");
    }
    if (role && !role_from_name(*role)) {
      return problem(call.request, http::Status::unprocessable_entity,
                     R"(role must be "admin" or "user")", "/role");
    }
    if (password && user.id == call.caller->user_id) {
      if (!current_password) {
        return problem(call.request, http::Status::unprocessable_entity,
                       "send current_password to change your own password", "/current_password");
      }
      if (!directory::verify_password(user.password.hash, *current_password)) {
        return problem(call.request, http::Status::forbidden, "current_password is wrong",
                       "/current_password");
      }
    }
    return std::nullopt;
  }

  // Only administrators set how far someone may call: a user could otherwise make
  // themself international calls at the company's cost.
  static std::optional<http::Response>
  check_call_class_change(const ApiCall& call, const std::optional<std::string>& call_class) {
    if (!call_class) {
      return std::nullopt;
    }
    if (!call.caller->is_admin()) {
      return problem(call.request, http::Status::forbidden,
                     "only administrators change call classes", "/call_class");
    }
    if (!is_call_class(*call_class)) {
      return call_class_problem(call.request);
    }
    return std::nullopt;
  }

  static http::Response call_class_problem(const http::Request& request) {
    return problem(request, http::Status::unprocessable_entity,
                   R"(call_class must be "internal", "local", "national" or "international")",
                   "/call_class");
  }

  // The user named in the path: 404 when there is none, and also when a user asks for
  // someone else, so that names do not leak.
  Field<store::User> visible_user(const ApiCall& call) {
    const auto name = call.path_param("name");
    auto user = services_.store.find_user(name);
    if (!user) {
      return std::unexpected(store_problem(call.request, user.error()));
    }
    if (!*user || (!call.caller->is_admin() && (*user)->id != call.caller->user_id)) {
      return std::unexpected(
          problem(call.request, http::Status::not_found, fmt::format("no user named '{}'", name)));
    }
    return std::move(**user);
  }

  Field<boost::json::object> representation(const http::Request& request, const store::User& user) {
    auto extensions = services_.directory.extensions();
    if (!extensions) {
      return std::unexpected(directory_problem(request, extensions.error()));
    }
    return user_json(user, *extensions);
  }

  ApiServices& services_;
  Sessions& sessions_;
};

} // namespace

void add_user_routes(Router& router, ApiServices& services, Sessions& sessions) {
  auto resource = std::make_shared<UserResource>(services, sessions);
  const auto to = handlers_of(resource);
  router.add({http::Verb::get, "/users", Audience::admins, Scope::directory_read,
              to(&UserResource::list)});
  router.add({http::Verb::post, "/users", Audience::admins, Scope::directory_write,
              to(&UserResource::create)});
  router.add({http::Verb::get, "/users/{name}", Audience::users, Scope::directory_read,
              to(&UserResource::read)});
  router.add({http::Verb::patch, "/users/{name}", Audience::users, Scope::directory_write,
              to(&UserResource::change)});
  router.add({http::Verb::delete_, "/users/{name}", Audience::admins, Scope::directory_write,
              to(&UserResource::remove)});
}

} // namespace starling::api
