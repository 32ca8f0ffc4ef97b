// Responses that browsers save as a file: CSV exports and vCard address books.
#include "api/attachment.h"

#include <fmt/format.h>

namespace starling::api {

http::Response attachment(const http::Request& request, std::string_view content_type,
                          std::string body, std::string_view filename) {
  http::Response response{http::Status::ok, request.version()};
  response.set(http::Field::content_type, content_type);
  response.set(http::Field::content_disposition,
               fmt::format("attachment; filename=\"{}\"", filename));
  // Personal data: not for shared caches.
  response.set(http::Field::cache_control, "private, no-store");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

} // namespace starling::api
