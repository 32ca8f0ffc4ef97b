// The server's answers to requests it could not read.
#include "http/detail/exchange.h"

#include <fmt/format.h>

namespace starling::http::detail {

std::optional<Response> answer_to(ReadFailure failure, const HttpLimits& limits,
                                  HttpMetrics& metrics) {
  // The request was not read to its end, so the connection cannot carry another one.
  const auto closing = [](Status status, std::string_view detail) {
    Request unread;
    unread.keep_alive(false);
    return error_response(unread, status, detail);
  };
  switch (failure) {
  case ReadFailure::closed:
    return std::nullopt;
  case ReadFailure::header_timeout:
    metrics.reject(Rejection::header_timeout);
    return std::nullopt;
  case ReadFailure::header_too_large:
    metrics.reject(Rejection::header_too_large);
    return closing(
        Status::request_header_fields_too_large,
        fmt::format("the request line and headers are larger than {} bytes", limits.header_bytes));
  case ReadFailure::body_too_large:
    metrics.reject(Rejection::body_too_large);
    return closing(Status::payload_too_large,
                   fmt::format("the request body is larger than {} bytes", limits.body_bytes));
  case ReadFailure::bad_request:
    metrics.reject(Rejection::bad_request);
    return closing(Status::bad_request, "the request is not valid HTTP/1.1");
  }
  return std::nullopt;
}

} // namespace starling::http::detail
