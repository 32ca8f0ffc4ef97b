// /extensions: the dialable numbers; every user reads them, administrators assign them.
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
  auto extensions = services.directory.extensions();
  if (!extensions) {
    return directory_problem(call.request, extensions.error());
  }
  boost::json::array items;
  for (const auto& extension : *extensions) {
    items.push_back(extension_json(extension));
  }
  return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
}

http::Response create(ApiServices& services, const ApiCall& call) {
  auto body = json_object_body(call.request);
  if (!body) {
    return std::move(body.error());
  }
  if (auto unknown = unknown_member(call.request, *body, {"number", "user", "group"})) {
    return std::move(*unknown);
  }
  auto number = required_string(call.request, *body, "number");
  auto user = optional_string(call.request, *body, "user");
  auto group = optional_string(call.request, *body, "group");
  if (!number) {
    return std::move(number.error());
  }
  for (auto* failed : {&user, &group}) {
    if (!*failed) {
      return std::move(failed->error());
    }
  }
  auto added = services.directory.add_extension(*number, *user, *group);
  if (!added) {
    // The target named in the body is missing: the body is wrong, not the URL.
    if (added.error().kind == directory::Error::Kind::not_found) {
      return problem(call.request, http::Status::unprocessable_entity, added.error().message,
                     *user ? "/user" : "/group");
    }
    return directory_problem(call.request, added.error());
  }
  const auto json = extension_json(*added);
  auto response = json_response(call.request, http::Status::created, json, etag_of(json));
  response.set(http::Field::location, fmt::format("{}/extensions/{}", kApiPrefix, added->number));
  return response;
}

Field<store::Extension> existing(ApiServices& services, const ApiCall& call) {
  const auto number = call.path_param("number");
  auto extension = services.store.find_extension(number);
  if (!extension) {
    return std::unexpected(store_problem(call.request, extension.error()));
  }
  if (!*extension) {
    return std::unexpected(
        problem(call.request, http::Status::not_found, fmt::format("no extension {}", number)));
  }
  return std::move(**extension);
}

http::Response read(ApiServices& services, const ApiCall& call) {
  auto extension = existing(services, call);
  if (!extension) {
    return std::move(extension.error());
  }
  const auto json = extension_json(*extension);
  return json_response(call.request, http::Status::ok, json, etag_of(json));
}

http::Response remove(ApiServices& services, const ApiCall& call) {
  auto extension = existing(services, call);
  if (!extension) {
    return std::move(extension.error());
  }
  if (auto failed = failed_precondition(call.request, etag_of(extension_json(*extension)))) {
    return std::move(*failed);
  }
  if (auto removed = services.directory.remove_extension(extension->number); !removed) {
    return directory_problem(call.request, removed.error());
  }
  return no_content(call.request);
}

} // namespace

void add_extension_routes(Router& router, ApiServices& services) {
  const auto to = handlers_of(std::ref(services));
  router.add({http::Verb::get, "/extensions", Audience::users, Scope::directory_read, to(list)});
  router.add(
      {http::Verb::post, "/extensions", Audience::admins, Scope::directory_write, to(create)});
  router.add(
      {http::Verb::get, "/extensions/{number}", Audience::users, Scope::directory_read, to(read)});
  router.add({http::Verb::delete_, "/extensions/{number}", Audience::admins, Scope::directory_write,
              to(remove)});
}

} // namespace starling::api
