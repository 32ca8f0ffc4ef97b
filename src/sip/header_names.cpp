// Name table for HeaderId: long forms, compact forms (RFC 3261 §7.3.3 and extensions).
#include "sip/header_names.h"

#include <array>
#include <utility>

#include "sip/detail/chars.h"

namespace starling::sip {

namespace {

struct NameEntry {
  std::string_view name;
  HeaderId id;
};

constexpr std::array kLongNames = std::to_array<NameEntry>({
    {"Accept", HeaderId::accept},
    {"Allow", HeaderId::allow},
    {"Allow-Events", HeaderId::allow_events},
    {"Authorization", HeaderId::authorization},
    {"Call-ID", HeaderId::call_id},
    {"Contact", HeaderId::contact},
    {"Content-Disposition", HeaderId::content_disposition},
    {"Content-Encoding", HeaderId::content_encoding},
    {"Content-Length", HeaderId::content_length},
    {"Content-Type", HeaderId::content_type},
    {"CSeq", HeaderId::cseq},
    {"Date", HeaderId::date},
    {"Event", HeaderId::event},
    {"Expires", HeaderId::expires},
    {"From", HeaderId::from},
    {"Identity", HeaderId::identity},
    {"Max-Forwards", HeaderId::max_forwards},
    {"Min-Expires", HeaderId::min_expires},
    {"Min-SE", HeaderId::min_se},
    {"Organization", HeaderId::organization},
    {"P-Asserted-Identity", HeaderId::p_asserted_identity},
    {"Path", HeaderId::path},
    {"P-Preferred-Identity", HeaderId::p_preferred_identity},
    {"Privacy", HeaderId::privacy},
    {"Proxy-Authenticate", HeaderId::proxy_authenticate},
    {"Proxy-Authorization", HeaderId::proxy_authorization},
    {"Proxy-Require", HeaderId::proxy_require},
    {"RAck", HeaderId::rack},
    {"Reason", HeaderId::reason},
    {"Record-Route", HeaderId::record_route},
    {"Referred-By", HeaderId::referred_by},
    {"Refer-To", HeaderId::refer_to},
    {"Require", HeaderId::require},
    {"Retry-After", HeaderId::retry_after},
    {"Route", HeaderId::route},
    {"RSeq", HeaderId::rseq},
    {"Server", HeaderId::server},
    {"Session-Expires", HeaderId::session_expires},
    {"Subject", HeaderId::subject},
    {"Supported", HeaderId::supported},
    {"Timestamp", HeaderId::timestamp},
    {"To", HeaderId::to},
    {"Unsupported", HeaderId::unsupported},
    {"User-Agent", HeaderId::user_agent},
    {"Via", HeaderId::via},
    {"Warning", HeaderId::warning},
    {"WWW-Authenticate", HeaderId::www_authenticate},
});

// RFC 3261 §7.3.3 plus RFC 3265/6665 (o, u), RFC 3515 (r), RFC 3892 (b), RFC 4028 (x),
// RFC 8224 (y). Compact letters of headers Starling does not model (a, d, j, n) stay Unknown.
HeaderId compact_id(char letter) {
  switch (detail::to_lower(letter)) {
  case 'b':
    return HeaderId::referred_by;
  case 'c':
    return HeaderId::content_type;
  case 'e':
    return HeaderId::content_encoding;
  case 'f':
    return HeaderId::from;
  case 'i':
    return HeaderId::call_id;
  case 'k':
    return HeaderId::supported;
  case 'l':
    return HeaderId::content_length;
  case 'm':
    return HeaderId::contact;
  case 'o':
    return HeaderId::event;
  case 'r':
    return HeaderId::refer_to;
  case 's':
    return HeaderId::subject;
  case 't':
    return HeaderId::to;
  case 'u':
    return HeaderId::allow_events;
  case 'v':
    return HeaderId::via;
  case 'x':
    return HeaderId::session_expires;
  case 'y':
    return HeaderId::identity;
  default:
    return HeaderId::unknown;
  }
}

} // namespace

HeaderId header_id(std::string_view name) {
  if (name.size() == 1) {
    return compact_id(name[0]);
  }
  for (const NameEntry& entry : kLongNames) {
    // Comparing lengths and first letters first keeps this a handful of compares per header.
    if (entry.name.size() == name.size() &&
        detail::to_lower(entry.name[0]) == detail::to_lower(name[0]) &&
        detail::iequals(entry.name, name)) {
      return entry.id;
    }
  }
  return HeaderId::unknown;
}

std::string_view header_name(HeaderId id) {
  for (const NameEntry& entry : kLongNames) {
    if (entry.id == id) {
      return entry.name;
    }
  }
  return {};
}

bool is_list_header(HeaderId id) {
  switch (id) {
  case HeaderId::accept:
  case HeaderId::allow:
  case HeaderId::allow_events:
  case HeaderId::contact:
  case HeaderId::content_encoding:
  case HeaderId::p_asserted_identity:
  case HeaderId::path:
  case HeaderId::p_preferred_identity:
  case HeaderId::proxy_require:
  case HeaderId::reason:
  case HeaderId::record_route:
  case HeaderId::require:
  case HeaderId::route:
  case HeaderId::supported:
  case HeaderId::unsupported:
  case HeaderId::via:
  case HeaderId::warning:
    return true;
  default:
    return false;
  }
}

} // namespace starling::sip
