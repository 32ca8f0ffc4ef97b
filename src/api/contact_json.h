// Personal contacts as the API shows and takes them, and as vCards.
#pragma once

#include <expected>

#include <boost/json/object.hpp>

#include "api/vcard.h"
#include "http/handler.h"
#include "store/records.h"

namespace starling::api {

// {"id","name","company","numbers":[{"type","number"}],"email","notes","created_at",
//  "updated_at"}.
boost::json::object contact_json(const store::Contact& contact);

// Sets `contact` from a request body: every member for POST and PUT (`whole`: an absent one
// becomes empty), only those present for PATCH. A 422 names the member at fault.
std::expected<void, http::Response> apply_contact_body(const http::Request& request,
                                                       const boost::json::object& body,
                                                       store::Contact& contact, bool whole);

VCard contact_vcard(const store::Contact& contact);

} // namespace starling::api
