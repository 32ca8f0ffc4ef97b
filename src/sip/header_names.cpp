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

// kLongNames lists the names in HeaderId's order, so an id finds its name by index...
constexpr bool in_id_order() {
  for (std::size_t i = 0; i < kLongNames.size(); ++i) {
    if (std::to_underlying(kLongNames[i].id) != i + 1) {
      return false;
    }
  }
  return true;
}
static_assert(in_id_order(), "kLongNames must follow HeaderId's order");

constexpr std::size_t letter_index(char c) {
  return static_cast<std::size_t>(detail::to_lower(c) - 'a');
}

// ...and names sharing a first letter stand together, so a name received is compared only
// with those of its first letter (a scan of the whole table was 3% of a REGISTER).
constexpr bool grouped_by_first_letter() {
  for (std::size_t i = 1; i < kLongNames.size(); ++i) {
    const std::size_t letter = letter_index(kLongNames[i].name[0]);
    if (letter == letter_index(kLongNames[i - 1].name[0])) {
      continue;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (letter_index(kLongNames[j].name[0]) == letter) {
        return false;
      }
    }
  }
  return true;
}
static_assert(grouped_by_first_letter(), "kLongNames must keep each first letter together");

struct NameRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};

constexpr std::size_t kLetters = 26;

constexpr auto kNamesByFirstLetter = [] {
  std::array<NameRange, kLetters> ranges{};
  for (std::size_t i = kLongNames.size(); i-- > 0;) {
    NameRange& range = ranges.at(letter_index(kLongNames[i].name[0]));
    if (range.end == 0) {
      range.end = i + 1;
    }
    range.begin = i;
  }
  return ranges;
}();

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
  if (name.empty() || letter_index(name[0]) >= kLetters) {
    return HeaderId::unknown;
  }
  const NameRange range = kNamesByFirstLetter[letter_index(name[0])];
  for (std::size_t i = range.begin; i < range.end; ++i) {
    if (kLongNames[i].name.size() == name.size() && detail::iequals(kLongNames[i].name, name)) {
      return kLongNames[i].id;
    }
  }
  return HeaderId::unknown;
}

std::string_view header_name(HeaderId id) {
  const auto index = static_cast<std::size_t>(std::to_underlying(id));
  return index == 0 || index > kLongNames.size() ? std::string_view{} : kLongNames[index - 1].name;
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
