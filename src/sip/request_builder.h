// Builds a request a UA originates: the request line, then the headers in the order given.
// Via, From, To, Call-ID, CSeq and Max-Forwards (RFC 3261 §8.1.1) are the caller's to add;
// dialog.h builds them for requests within a dialog.
#pragma once

#include <string>
#include <string_view>

namespace starling::sip {

class RequestBuilder {
public:
  RequestBuilder(std::string_view method, std::string_view request_uri);

  RequestBuilder& add_header(std::string_view name, std::string_view value);
  // Appends Content-Type (when there is a body) and Content-Length, then the body.
  [[nodiscard]] std::string finish(std::string_view body = {},
                                   std::string_view content_type = "application/sdp") &&;

private:
  std::string out_;
};

} // namespace starling::sip
