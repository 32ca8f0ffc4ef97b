// SIP trunks as the API shows and takes them: the password goes in, never out.
#pragma once

#include <expected>
#include <span>

#include <boost/json/object.hpp>

#include "http/handler.h"
#include "store/records.h"

namespace starling::api {

// {"name","kind","domain","outbound_proxy","transport","username","auth_username",
//  "password_set","from_user","expires","allowed_addresses","codecs","caller_id_format",
//  "identity","channels","unknown_did","enabled","numbers":[{"did","target"}],"created_at"}.
// Its ETag is the trunk's version: the live status below is not part of it, so a
// registration refreshing does not make an open edit form stale.
boost::json::object trunk_json(const store::Trunk& trunk);

// {"state","reason","changed_at","expires_at"}: "registered", "registering", "failing" (with
// the reason), "unregistered", "ip" (nothing registers) or "disabled", as `starling trunks`
// shows it. `states` is what the running server last saved (Store::list_trunk_status).
boost::json::object trunk_status_json(const store::Trunk& trunk,
                                      std::span<const store::TrunkStatus> states);

// Sets the members of `trunk` a request body holds; the others stay. `name` is taken only
// when `with_name` (POST: a trunk is not renamed, routes name it). A 422 names the member
// at fault. The result still needs RoutingRules::check_trunk.
std::expected<void, http::Response> apply_trunk_body(const http::Request& request,
                                                     const boost::json::object& body,
                                                     store::Trunk& trunk, bool with_name);

} // namespace starling::api
