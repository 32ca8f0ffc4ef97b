// Stateless error replies built from the headers of a rejected request.
#include "sip/error_response.h"

#include <span>
#include <vector>

#include "sip/detail/header_lines.h"
#include "sip/limits.h"
#include "sip/response_builder.h"

namespace starling::sip {

namespace {

bool is_copied(HeaderId id) {
  return id == HeaderId::via || id == HeaderId::from || id == HeaderId::to ||
         id == HeaderId::call_id || id == HeaderId::cseq;
}

std::string build(std::span<const HeaderField> headers, const ParseError& error,
                  std::string_view to_tag) {
  return ResponseBuilder(headers, error.status, error.reason, to_tag).finish();
}

} // namespace

std::string build_error_response(const Message& request, const ParseError& error,
                                 std::string_view to_tag) {
  return build(request.headers(), error, to_tag);
}

std::optional<std::string> build_error_response(std::string_view request_bytes,
                                                const ParseError& error, std::string_view to_tag) {
  if (!error.can_reply) {
    return std::nullopt;
  }
  std::size_t pos = 0;
  while (detail::at_crlf(request_bytes, pos)) {
    pos += 2; // RFC 3261 §7.5 keep-alive CRLFs before the start line
  }
  pos = request_bytes.find("\r\n", pos);
  if (pos == std::string_view::npos) {
    return std::nullopt;
  }
  pos += 2;
  // Lenient on purpose: a broken line is skipped so the lines a reply needs still count.
  std::vector<HeaderField> copied;
  for (std::size_t n = 0;
       n < kMaxHeaderCount && pos < request_bytes.size() && !detail::at_crlf(request_bytes, pos);
       ++n) {
    const auto field = detail::read_header_line(request_bytes, pos);
    if (field && is_copied(field->id)) {
      copied.push_back(*field);
    } else if (!field) {
      const std::size_t next = request_bytes.find("\r\n", pos);
      if (next == std::string_view::npos) {
        break;
      }
      pos = next + 2;
    }
  }
  return build(copied, error, to_tag);
}

} // namespace starling::sip
