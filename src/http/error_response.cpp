// Problem documents for errors the server answers itself, before any handler runs.
#include "http/error_response.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace starling::http {

Response error_response(const Request& request, Status status, std::string_view detail) {
  Response response{status, request.version() == 0 ? 11U : request.version()};
  const boost::json::object problem{
      {"type", "about:blank"},
      {"title", boost::beast::http::obsolete_reason(status)},
      {"status", static_cast<int>(status)},
      {"detail", detail},
  };
  response.set(Field::content_type, "application/problem+json");
  response.body() = boost::json::serialize(problem);
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

} // namespace starling::http
