// Transaction matching keys built into reusable buffers.
#include "sip/transaction/transaction_key.h"

#include <array>
#include <charconv>
#include <cstdint>

#include "sip/detail/chars.h"

namespace starling::sip {

namespace {

// Fields are separated by a NUL, which no header value contains, so two different field
// lists never give the same key.
constexpr char kSeparator = '\0';

void append_field(std::string& out, std::string_view field) {
  out.append(field);
  out.push_back(kSeparator);
}

// to_chars, not fmt: a key is made for every request, and fmt's format-string parsing cost
// three times the rest of the key (callgrind).
void append_number(std::string& out, std::uint64_t number) {
  std::array<char, 20> digits{};
  const auto end = std::to_chars(digits.begin(), digits.end(), number).ptr;
  out.append(digits.begin(), end);
}

// Hosts compare case-insensitively (RFC 3261 §19.1.4 applied to sent-by).
void append_sent_by(std::string& out, const Via& via) {
  for (const char c : via.host) {
    out.push_back(detail::to_lower(c));
  }
  if (via.port) {
    out.push_back(':');
    append_number(out, *via.port);
  }
  out.push_back(kSeparator);
}

} // namespace

std::string_view matching_method(const ValidatedRequest& request) {
  return request.cseq.method_id == Method::ack ? method_name(Method::invite) : request.cseq.method;
}

void server_key(const ValidatedRequest& request, std::string_view method, std::string_view to_tag,
                std::string& out) {
  out.clear();
  const Via& via = request.top_via;
  if (via.has_rfc3261_branch()) {
    out.push_back('3');
    append_field(out, via.branch);
    append_sent_by(out, via);
    append_field(out, method);
    return;
  }
  // RFC 3261 §17.2.3, RFC 2543 matching rules.
  out.push_back('2');
  append_field(out, request.request_uri.text);
  append_field(out, to_tag);
  append_field(out, request.from.tag());
  append_field(out, request.call_id);
  append_number(out, request.cseq.number);
  out.push_back(kSeparator);
  append_field(out, via.transport_name);
  append_sent_by(out, via);
  append_field(out, via.params.text());
  append_field(out, method);
}

void client_key(std::string_view branch, std::string_view cseq_method, std::string& out) {
  out.clear();
  append_field(out, branch);
  append_field(out, cseq_method);
}

void merge_key(const ValidatedRequest& request, std::string& out) {
  out.clear();
  append_field(out, request.from.tag());
  append_field(out, request.call_id);
  append_number(out, request.cseq.number);
  out.push_back(kSeparator);
  append_field(out, request.cseq.method);
}

} // namespace starling::sip
