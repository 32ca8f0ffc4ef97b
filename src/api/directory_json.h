// The directory's rows as the API shows them, and its errors as problem documents.
#pragma once

#include <span>
#include <string>

#include <boost/json/object.hpp>

#include "directory/directory.h"
#include "http/handler.h"
#include "store/records.h"
#include "store/store_error.h"

namespace starling::api {

// RFC 3339 in UTC ("2026-01-01T00:00:00Z"); JSON null for 0 ("never").
boost::json::value rfc3339(store::UnixTime time);

// {"name","display_name","role","extensions":["201"],"call_class","created_at"};
// `extensions` is every extension, of which the user's own are listed.
boost::json::object user_json(const store::User& user,
                              std::span<const store::Extension> extensions);
std::string_view role_name(store::Role role);
// {"name","user","description","created_at"}: never the credentials.
boost::json::object device_json(const store::Device& device);
// {"number","user"} or {"number","group"}.
boost::json::object extension_json(const store::Extension& extension);
// {"name","display_name","members":["alice"]}.
boost::json::object group_json(const store::Group& group);

// invalid → 422 naming the field, not_found → 404, conflict → 409, unavailable → 503.
http::Response directory_problem(const http::Request& request, const directory::Error& error);
http::Response store_problem(const http::Request& request, const store::StoreError& error);

} // namespace starling::api
