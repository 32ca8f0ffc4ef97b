// Request and response validation before processing (RFC 3261 §8.2, §8.1.3, §16.3).
#include "sip/validation.h"

#include <optional>

#include "sip/comma_list.h"
#include "sip/detail/chars.h"
#include "sip/header_names.h"

namespace starling::sip {

namespace {

struct Checker {
  const Message& message;
  bool can_reply;

  [[nodiscard]] ParseError error(std::string_view reason, const HeaderField* at = nullptr,
                                 std::uint16_t status = 400) const {
    std::size_t offset = 0;
    const std::string_view wire = message.wire_bytes();
    if (at != nullptr && at->raw.data() >= wire.data() &&
        at->raw.data() < wire.data() + wire.size()) {
      offset = static_cast<std::size_t>(at->raw.data() - wire.data());
    }
    return ParseError{status, reason, offset, can_reply};
  }

  // The single header with that id, or the error naming why there is not exactly one.
  [[nodiscard]] std::expected<const HeaderField*, ParseError>
  single(HeaderId id, std::string_view missing, std::string_view multiple) const {
    const HeaderField* found = nullptr;
    for (const HeaderField& h : message.headers()) {
      if (h.id == id) {
        if (found != nullptr) {
          return std::unexpected(error(multiple, &h));
        }
        found = &h;
      }
    }
    if (found == nullptr) {
      return std::unexpected(error(missing));
    }
    return found;
  }
};

// Every value of every header with this id must parse; returns the first value's result.
template <typename Parse>
std::optional<ParseError> check_list(const Checker& c, HeaderId id, std::string_view reason,
                                     Parse parse) {
  for (const HeaderField& h : c.message.headers()) {
    if (h.id != id) {
      continue;
    }
    for (std::string_view element : CommaList{h.value}) {
      if (!parse(element)) {
        return c.error(reason, &h);
      }
    }
  }
  return std::nullopt;
}

// Call-ID = word [ "@" word ]: non-empty and without white space.
bool is_call_id(std::string_view v) {
  if (v.empty()) {
    return false;
  }
  for (char c : v) {
    if (detail::is_lws(c)) {
      return false;
    }
  }
  return true;
}

template <typename Result>
std::optional<ParseError> check_dialog_headers(const Checker& c, Result& out) {
  auto to = c.single(HeaderId::to, "Missing To header", "Multiple To headers");
  auto from = c.single(HeaderId::from, "Missing From header", "Multiple From headers");
  auto cseq = c.single(HeaderId::cseq, "Missing CSeq header", "Multiple CSeq headers");
  auto call_id = c.single(HeaderId::call_id, "Missing Call-ID header", "Multiple Call-ID headers");
  for (const auto* result : {&to, &from, &cseq, &call_id}) {
    if (!*result) {
      return result->error();
    }
  }
  const auto to_value = parse_name_addr((*to)->value);
  if (!to_value) {
    return c.error("Malformed To header", *to);
  }
  const auto from_value = parse_name_addr((*from)->value);
  if (!from_value) {
    return c.error("Malformed From header", *from);
  }
  const auto cseq_value = parse_cseq((*cseq)->value);
  if (!cseq_value) {
    return c.error("Malformed CSeq header", *cseq);
  }
  if (!is_call_id((*call_id)->value)) {
    return c.error("Malformed Call-ID header", *call_id);
  }
  out.to = *to_value;
  out.from = *from_value;
  out.cseq = *cseq_value;
  out.call_id = (*call_id)->value;
  return std::nullopt;
}

template <typename Result> std::optional<ParseError> check_vias(const Checker& c, Result& out) {
  const HeaderField* top = c.message.find(HeaderId::via);
  if (top == nullptr) {
    return c.error("Missing Via header");
  }
  // Headers and values are checked in order, so the first one parsed is the top Via.
  bool have_top = false;
  const auto keep_top = [&out, &have_top](std::string_view v) {
    auto via = parse_via(v);
    if (via && !have_top) {
      out.top_via = *via;
      have_top = true;
    }
    return via.has_value();
  };
  if (auto failure = check_list(c, HeaderId::via, "Malformed Via header", keep_top)) {
    return failure;
  }
  return have_top ? std::nullopt : std::optional(c.error("Malformed Via header", top));
}

std::optional<ParseError> check_max_forwards(const Checker& c, ValidatedRequest& out) {
  if (c.message.count(HeaderId::max_forwards) > 1) {
    return c.error("Multiple Max-Forwards headers", c.message.find(HeaderId::max_forwards));
  }
  if (const HeaderField* h = c.message.find(HeaderId::max_forwards)) {
    const auto value = parse_max_forwards(h->value);
    if (!value) {
      return c.error("Malformed Max-Forwards header", h);
    }
    out.max_forwards = *value;
    out.has_max_forwards = true;
  }
  return std::nullopt;
}

std::optional<ParseError> check_address_lists(const Checker& c) {
  const auto name_addr = [](std::string_view v) { return parse_name_addr(v).has_value(); };
  if (auto failure = check_list(c, HeaderId::contact, "Malformed Contact header",
                                [](std::string_view v) { return parse_contact(v).has_value(); })) {
    return failure;
  }
  if (auto failure = check_list(c, HeaderId::route, "Malformed Route header", name_addr)) {
    return failure;
  }
  return check_list(c, HeaderId::record_route, "Malformed Record-Route header", name_addr);
}

std::optional<ParseError> check_request_uri(const Checker& c, ValidatedRequest& out) {
  const auto uri = parse_uri(c.message.request_line().request_uri);
  if (!uri) {
    return c.error("Malformed Request-URI");
  }
  if (uri->scheme == UriScheme::other) {
    return c.error("Unsupported URI Scheme", nullptr, 416); // RFC 3261 §8.2.2.1
  }
  if (!uri->headers.empty()) {
    return c.error("Request-URI with headers"); // RFC 4475 escruri
  }
  out.request_uri = *uri;
  return std::nullopt;
}

} // namespace

std::expected<ValidatedRequest, ParseError> validate_request(const Message& request) {
  const Checker c{request, request.is_request() && request.find(HeaderId::via) != nullptr};
  if (!request.is_request()) {
    return std::unexpected(c.error("Not a request"));
  }
  // RFC 3261 §21.5.20: 505 for a SIP version other than 2.0 (RFC 4475 badvers).
  if (!detail::iequals(request.version(), "SIP/2.0")) {
    return std::unexpected(c.error("Version Not Supported", nullptr, 505));
  }
  ValidatedRequest out;
  std::optional<ParseError> failure = check_dialog_headers(c, out);
  failure = failure ? failure : check_vias(c, out);
  if (!failure && out.cseq.method != request.request_line().method) {
    // RFC 4475 mismatch01/02: 400, not 501, even when the method is unknown.
    failure = c.error("CSeq method does not match request method", request.find(HeaderId::cseq));
  }
  failure = failure ? failure : check_max_forwards(c, out);
  failure = failure ? failure : check_address_lists(c);
  failure = failure ? failure : check_request_uri(c, out);
  if (failure) {
    return std::unexpected(*failure);
  }
  return out;
}

std::expected<ValidatedResponse, ParseError> validate_response(const Message& response) {
  const Checker c{response, false};
  if (!response.is_response()) {
    return std::unexpected(c.error("Not a response"));
  }
  if (!detail::iequals(response.version(), "SIP/2.0")) {
    return std::unexpected(c.error("Version Not Supported", nullptr, 505));
  }
  ValidatedResponse out;
  std::optional<ParseError> failure = check_dialog_headers(c, out);
  failure = failure ? failure : check_vias(c, out);
  if (failure) {
    return std::unexpected(*failure);
  }
  return out;
}

} // namespace starling::sip
