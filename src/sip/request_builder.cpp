// Builds a request a UA originates, header by header.
#include "sip/request_builder.h"

#include <iterator>

#include <fmt/format.h>

namespace starling::sip {

RequestBuilder::RequestBuilder(std::string_view method, std::string_view request_uri)
    : out_(fmt::format("{} {} SIP/2.0\r\n", method, request_uri)) {}

RequestBuilder& RequestBuilder::add_header(std::string_view name, std::string_view value) {
  fmt::format_to(std::back_inserter(out_), "{}: {}\r\n", name, value);
  return *this;
}

std::string RequestBuilder::finish(std::string_view body, std::string_view content_type) && {
  if (!body.empty()) {
    fmt::format_to(std::back_inserter(out_), "Content-Type: {}\r\n", content_type);
  }
  fmt::format_to(std::back_inserter(out_), "Content-Length: {}\r\n\r\n", body.size());
  out_.append(body);
  return std::move(out_);
}

} // namespace starling::sip
