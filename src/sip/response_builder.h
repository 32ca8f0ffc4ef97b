// Builds a response to a request: the status line and the headers RFC 3261 §8.2.6.2
// copies (Via, From, To with a tag, Call-ID, CSeq), then whatever the element adds.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sip/message.h"

namespace starling::sip {

struct ValidatedRequest;

class ResponseBuilder {
public:
  // `to_tag` is added to To when the request's To has none (a UAS picks it, §8.2.6.2).
  ResponseBuilder(std::span<const HeaderField> request_headers, std::uint16_t status,
                  std::string_view reason, std::string_view to_tag);
  ResponseBuilder(const Message& request, std::uint16_t status, std::string_view reason,
                  std::string_view to_tag)
      : ResponseBuilder(request.headers(), status, reason, to_tag) {}
  // The same for a request validate_request accepted: its parsed To says whether the request
  // has a To tag already, which spares parsing the To again for every response.
  ResponseBuilder(const Message& request, const ValidatedRequest& validated, std::uint16_t status,
                  std::string_view reason, std::string_view to_tag);

  ResponseBuilder& add_header(std::string_view name, std::string_view value);
  // The same with a value written in parts, which saves building it as a string first.
  ResponseBuilder& add_header(std::string_view name,
                              std::initializer_list<std::string_view> value_parts);
  // RFC 3261 §12.1.1: a response that creates a dialog carries the request's Record-Route
  // headers, in order, so that the proxies that asked to stay in the path see its requests.
  ResponseBuilder& copy_record_route(const Message& request);
  // Appends Content-Length (and the body) and returns the complete message.
  [[nodiscard]] std::string finish(std::string_view body = {}) &&;

private:
  // `to_has_tag`: nothing when the To must be parsed to know.
  ResponseBuilder(std::span<const HeaderField> request_headers, std::uint16_t status,
                  std::string_view reason, std::string_view to_tag, std::optional<bool> to_has_tag);

  std::string out_;
};

} // namespace starling::sip
