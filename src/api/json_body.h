// JSON in and out of route handlers: responses, request bodies, ETags, pagination.
#pragma once

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "api/router.h"
#include "http/handler.h"

namespace starling::api {

// A JSON response; with an ETag when `etag` is not empty.
http::Response json_response(const http::Request& request, http::Status status,
                             const boost::json::value& body, std::string_view etag = {});

// A 204 No Content.
http::Response no_content(const http::Request& request);

// The request body as a JSON object, or a 400/415 problem saying what is wrong with it.
std::expected<boost::json::object, http::Response> json_object_body(const http::Request& request);

// A strong ETag over a representation: equal JSON, equal tag.
std::string etag_of(const boost::json::value& representation);

// The 412 response when the request's If-Match names neither `current_etag` nor "*";
// empty when the request may go ahead (also when it sends no If-Match).
std::optional<http::Response> failed_precondition(const http::Request& request,
                                                  std::string_view current_etag);

// ?limit=N&offset=M, with limit 1..500 (default 50).
struct Page {
  std::size_t limit = 50;
  std::size_t offset = 0;
};
std::expected<Page, http::Response> page_of(const ApiCall& call);

// {"items": [page of all_items], "total": N, "limit": L, "offset": O}.
boost::json::object paged(boost::json::array all_items, const Page& page);

} // namespace starling::api
