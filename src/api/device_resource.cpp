// /devices: SIP accounts. Administrators manage all; a user manages only their own, and
// never learns of anyone else's (404, not 403).
#include <memory>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/directory_json.h"
#include "api/json_body.h"
#include "api/problem.h"
#include "api/request_fields.h"
#include "api/resources.h"

namespace starling::api {

namespace {

class DeviceResource {
public:
  explicit DeviceResource(ApiServices& services) : services_(services) {}

  http::Response list(const ApiCall& call) {
    auto page = page_of(call);
    if (!page) {
      return std::move(page.error());
    }
    auto devices = services_.directory.devices();
    if (!devices) {
      return directory_problem(call.request, devices.error());
    }
    boost::json::array items;
    for (const auto& device : *devices) {
      if (owns(call, device)) {
        items.push_back(device_json(device));
      }
    }
    return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
  }

  http::Response create(const ApiCall& call) {
    auto body = json_object_body(call.request);
    if (!body) {
      return std::move(body.error());
    }
    if (auto unknown =
            unknown_member(call.request, *body, {"user", "description", "name", "password"})) {
      return std::move(*unknown);
    }
    auto user = optional_string(call.request, *body, "user");
    auto description = optional_string(call.request, *body, "description");
    auto name = optional_string(call.request, *body, "name");
    auto password = optional_string(call.request, *body, "password");
    for (auto* failed : {&user, &description, &name, &password}) {
      if (!*failed) {
        return std::move(failed->error());
      }
    }
    const std::string owner = user->value_or(call.caller->name);
    if (!call.caller->is_admin() && owner != call.caller->name) {
      return problem(call.request, http::Status::forbidden, "you may add devices only for yourself",
                     "/user");
    }
    auto created = services_.directory.add_device(
        {owner, std::move(*name), std::move(*password), description->value_or("")});
    if (!created) {
      // A missing owner is a bad request member here, not a missing resource.
      if (created.error().kind == directory::Error::Kind::not_found) {
        return problem(call.request, http::Status::unprocessable_entity, created.error().message,
                       "/user");
      }
      return directory_problem(call.request, created.error());
    }
    const auto represented = device_json(created->row);
    auto json = represented;
    if (created->generated_password) {
      json["password"] = *created->generated_password;
    }
    auto response = json_response(call.request, http::Status::created, json, etag_of(represented));
    response.set(http::Field::location,
                 fmt::format("{}/devices/{}", kApiPrefix, created->row.auth_name));
    response.set(http::Field::cache_control, "no-store");
    return response;
  }

  http::Response read(const ApiCall& call) {
    auto device = visible_device(call);
    if (!device) {
      return std::move(device.error());
    }
    const auto json = device_json(*device);
    return json_response(call.request, http::Status::ok, json, etag_of(json));
  }

  http::Response change(const ApiCall& call) {
    auto device = visible_device(call);
    if (!device) {
      return std::move(device.error());
    }
    if (auto failed = failed_precondition(call.request, etag_of(device_json(*device)))) {
      return std::move(*failed);
    }
    auto body = json_object_body(call.request);
    if (!body) {
      return std::move(body.error());
    }
    if (auto unknown = unknown_member(call.request, *body, {"description", "password"})) {
      return std::move(*unknown);
    }
    auto description = optional_string(call.request, *body, "description");
    auto password = optional_string(call.request, *body, "password");
    for (auto* failed : {&description, &password}) {
      if (!*failed) {
        return std::move(failed->error());
      }
    }
    if (*password) {
      if (auto set = services_.directory.set_device_password(device->auth_name, **password); !set) {
        return directory_problem(call.request, set.error());
      }
    }
    if (*description) {
      if (auto set = services_.directory.set_device_description(device->auth_name, **description);
          !set) {
        return directory_problem(call.request, set.error());
      }
    }
    return read(call);
  }

  http::Response remove(const ApiCall& call) {
    auto device = visible_device(call);
    if (!device) {
      return std::move(device.error());
    }
    if (auto failed = failed_precondition(call.request, etag_of(device_json(*device)))) {
      return std::move(*failed);
    }
    if (auto removed = services_.directory.remove_device(device->auth_name); !removed) {
      return directory_problem(call.request, removed.error());
    }
    return no_content(call.request);
  }

private:
  static bool owns(const ApiCall& call, const store::Device& device) {
    return call.caller->is_admin() || device.user_id == call.caller->user_id;
  }

  Field<store::Device> visible_device(const ApiCall& call) {
    const auto name = call.path_param("name");
    auto device = services_.store.find_device(name);
    if (!device) {
      return std::unexpected(store_problem(call.request, device.error()));
    }
    if (!*device || !owns(call, **device)) {
      return std::unexpected(problem(call.request, http::Status::not_found,
                                     fmt::format("no device named '{}'", name)));
    }
    return std::move(**device);
  }

  ApiServices& services_;
};

} // namespace

void add_device_routes(Router& router, ApiServices& services) {
  auto resource = std::make_shared<DeviceResource>(services);
  const auto to = handlers_of(resource);
  router.add({http::Verb::get, "/devices", Audience::users, Scope::directory_read,
              to(&DeviceResource::list)});
  router.add({http::Verb::post, "/devices", Audience::users, Scope::directory_write,
              to(&DeviceResource::create)});
  router.add({http::Verb::get, "/devices/{name}", Audience::users, Scope::directory_read,
              to(&DeviceResource::read)});
  router.add({http::Verb::patch, "/devices/{name}", Audience::users, Scope::directory_write,
              to(&DeviceResource::change)});
  router.add({http::Verb::delete_, "/devices/{name}", Audience::users, Scope::directory_write,
              to(&DeviceResource::remove)});
}

} // namespace starling::api
