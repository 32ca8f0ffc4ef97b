// Builds a response to a request: the status line and the headers RFC 3261 §8.2.6.2
// copies (Via, From, To with a tag, Call-ID, CSeq), then whatever the element adds.
#include "sip/response_builder.h"

#include <algorithm>
#include <array>
#include <string>

#include "sip/name_addr.h"
#include "sip/validation.h"

namespace starling::sip {
namespace {

// A To that cannot be parsed is copied as it is.
bool has_tag(const HeaderField& to) {
  const auto address = parse_name_addr(to.value);
  return !address || !address->tag().empty();
}

void append_to_with_tag(std::string& out, const HeaderField& to, std::string_view to_tag,
                        std::optional<bool> to_has_tag) {
  if (to_tag.empty() || (to_has_tag ? *to_has_tag : has_tag(to))) {
    out.append(to.raw);
    return;
  }
  out.append("To: ").append(to.value).append(";tag=").append(to_tag).append("\r\n");
}

// After the Vias, a response carries the first of each of these from the request.
constexpr std::array kDialogHeaders{HeaderId::from, HeaderId::to, HeaderId::call_id,
                                    HeaderId::cseq};

bool is_copied(HeaderId id) {
  return id == HeaderId::via || std::ranges::find(kDialogHeaders, id) != kDialogHeaders.end();
}

} // namespace

ResponseBuilder::ResponseBuilder(std::span<const HeaderField> request_headers, std::uint16_t status,
                                 std::string_view reason, std::string_view to_tag)
    : ResponseBuilder(request_headers, status, reason, to_tag, std::nullopt) {}

ResponseBuilder::ResponseBuilder(const Message& request, const ValidatedRequest& validated,
                                 std::uint16_t status, std::string_view reason,
                                 std::string_view to_tag)
    : ResponseBuilder(request.headers(), status, reason, to_tag, !validated.to.tag().empty()) {}

ResponseBuilder::ResponseBuilder(std::span<const HeaderField> request_headers, std::uint16_t status,
                                 std::string_view reason, std::string_view to_tag,
                                 std::optional<bool> to_has_tag) {
  // One allocation for the whole response: the copied headers and what an element usually
  // adds (a challenge, contacts, Date). It stays below glibc's 1 KiB "large" size for the
  // usual responses: a request that large makes malloc consolidate its fast bins, which
  // cost more than building the response did.
  constexpr std::size_t kRoomForAddedHeaders = 384;
  std::size_t copied = 0;
  for (const HeaderField& header : request_headers) {
    if (is_copied(header.id)) {
      copied += header.raw.size();
    }
  }
  out_.reserve(copied + kRoomForAddedHeaders);
  out_.append("SIP/2.0 ").append(std::to_string(status)).append(" ").append(reason);
  out_.append("\r\n");
  // Vias in their order, then the first From, To, Call-ID and CSeq.
  for (const HeaderField& header : request_headers) {
    if (header.id == HeaderId::via) {
      out_.append(header.raw);
    }
  }
  for (HeaderId id : kDialogHeaders) {
    for (const HeaderField& header : request_headers) {
      if (header.id != id) {
        continue;
      }
      if (id == HeaderId::to) {
        append_to_with_tag(out_, header, to_tag, to_has_tag);
      } else {
        out_.append(header.raw);
      }
      break;
    }
  }
}

ResponseBuilder& ResponseBuilder::add_header(std::string_view name, std::string_view value) {
  return add_header(name, {value});
}

ResponseBuilder& ResponseBuilder::add_header(std::string_view name,
                                             std::initializer_list<std::string_view> value_parts) {
  out_.append(name).append(": ");
  for (const std::string_view part : value_parts) {
    out_.append(part);
  }
  out_.append("\r\n");
  return *this;
}

ResponseBuilder& ResponseBuilder::copy_record_route(const Message& request) {
  for (const HeaderField& header : request.headers()) {
    if (header.id == HeaderId::record_route) {
      out_.append(header.raw);
    }
  }
  return *this;
}

std::string ResponseBuilder::finish(std::string_view body) && {
  out_.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  out_.append(body);
  return std::move(out_);
}

} // namespace starling::sip
