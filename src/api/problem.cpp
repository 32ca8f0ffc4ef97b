// RFC 9457 problem documents.
#include "api/problem.h"

#include <boost/beast/http/status.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace starling::api {

http::Response problem(const http::Request& request, http::Status status, std::string_view detail,
                       std::string_view field) {
  boost::json::object document{
      // about:blank: the status code says it all, and the title is its reason phrase
      // (RFC 9457 §4.2.1).
      {"type", "about:blank"},
      {"title", boost::beast::http::obsolete_reason(status)},
      {"status", static_cast<int>(status)},
      {"detail", detail},
  };
  if (!field.empty()) {
    document["field"] = field;
  }
  http::Response response{status, request.version()};
  response.set(http::Field::content_type, "application/problem+json");
  response.keep_alive(request.keep_alive());
  response.body() = boost::json::serialize(document);
  response.prepare_payload();
  return response;
}

} // namespace starling::api
