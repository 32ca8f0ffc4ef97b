// The directory's rows as the API shows them, and its errors as problem documents.
#include "api/directory_json.h"

#include <chrono>

#include <boost/json/array.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "api/problem.h"
#include "api/request_fields.h"
#include "core/utc_time.h"

namespace starling::api {

boost::json::value rfc3339(store::UnixTime time) {
  if (time == 0) {
    return nullptr;
  }
  const std::chrono::sys_seconds at{std::chrono::seconds(time)};
  return boost::json::string(fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", core::utc_fields(at)));
}

std::string_view role_name(store::Role role) {
  return role == store::Role::admin ? "admin" : "user";
}

boost::json::object user_json(const store::User& user,
                              std::span<const store::Extension> extensions) {
  boost::json::array numbers;
  for (const auto& extension : extensions) {
    if (extension.user_id == user.id) {
      numbers.emplace_back(extension.number);
    }
  }
  return {{"name", user.name},
          {"display_name", user.display_name},
          {"role", role_name(user.role)},
          {"extensions", std::move(numbers)},
          {"call_class", user.call_class},
          {"created_at", rfc3339(user.created_at)}};
}

boost::json::object device_json(const store::Device& device) {
  return {{"name", device.auth_name},
          {"user", device.user_name},
          {"description", device.description},
          {"created_at", rfc3339(device.created_at)}};
}

boost::json::object extension_json(const store::Extension& extension) {
  boost::json::object json{{"number", extension.number}};
  json[extension.user_id ? "user" : "group"] = extension.target_name;
  return json;
}

boost::json::object group_json(const store::Group& group) {
  boost::json::array members;
  for (const auto& member : group.member_names) {
    members.emplace_back(member);
  }
  return {
      {"name", group.name}, {"display_name", group.display_name}, {"members", std::move(members)}};
}

http::Response directory_problem(const http::Request& request, const directory::Error& error) {
  switch (error.kind) {
  case directory::Error::Kind::invalid:
    return problem(request, http::Status::unprocessable_entity, error.message,
                   error.field.empty() ? std::string() : pointer_to(error.field));
  case directory::Error::Kind::not_found:
    return problem(request, http::Status::not_found, error.message);
  case directory::Error::Kind::conflict:
    return problem(request, http::Status::conflict, error.message);
  case directory::Error::Kind::unavailable:
    break;
  }
  return problem(request, http::Status::service_unavailable, error.message);
}

http::Response store_problem(const http::Request& request, const store::StoreError& error) {
  switch (error.kind) {
  case store::StoreError::Kind::not_found:
    return problem(request, http::Status::not_found, error.message);
  case store::StoreError::Kind::conflict:
    return problem(request, http::Status::conflict, error.message);
  case store::StoreError::Kind::unavailable:
  case store::StoreError::Kind::incompatible:
    break;
  }
  return problem(request, http::Status::service_unavailable, error.message);
}

} // namespace starling::api
