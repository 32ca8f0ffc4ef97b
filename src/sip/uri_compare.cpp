// URI equivalence after unescaping (RFC 3261 §19.1.4; RFC 3966 §4 for tel).
#include "sip/detail/chars.h"
#include "sip/uri.h"

namespace starling::sip {

namespace {

// One character of a URI component: a literal, or the octet a %HH escape encodes.
struct Unit {
  char value;
  bool escaped;
};

Unit unit_at(std::string_view s, std::size_t& i) {
  if (s[i] == '%' && i + 2 < s.size()) {
    const auto value =
        static_cast<char>(detail::hex_value(s[i + 1]) * 16 + detail::hex_value(s[i + 2]));
    i += 3;
    return {value, true};
  }
  return {s[i++], false};
}

bool is_reserved(char c) {
  return std::string_view{";/?:@&=+$,"}.find(c) != std::string_view::npos;
}

// "Characters other than those in the reserved set are equivalent to their %HEX HEX encoding."
bool escaped_equal(std::string_view a, std::string_view b, bool ignore_case) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const Unit x = unit_at(a, i);
    const Unit y = unit_at(b, j);
    const char cx = ignore_case ? detail::to_lower(x.value) : x.value;
    const char cy = ignore_case ? detail::to_lower(y.value) : y.value;
    if (cx != cy || (x.escaped != y.escaped && is_reserved(x.value))) {
      return false;
    }
  }
  return i == a.size() && j == b.size();
}

std::string_view unquoted(std::string_view v) {
  return v.size() >= 2 && v.front() == '"' && v.back() == '"' ? v.substr(1, v.size() - 2) : v;
}

bool params_match(const ParamList& a, const ParamList& b) {
  for (const Param& p : a) {
    const auto q = b.find(p.name);
    if (!q) {
      // These change where or how a request goes, so one-sided presence never matches.
      for (std::string_view strict : {"user", "ttl", "method", "maddr"}) {
        if (detail::iequals(p.name, strict)) {
          return false;
        }
      }
      continue;
    }
    if (!escaped_equal(unquoted(p.value), unquoted(q->value), true)) {
      return false;
    }
  }
  return true;
}

// Header components are never ignored: both URIs carry the same set.
bool headers_match(const ParamList& a, const ParamList& b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (const Param& p : a) {
    bool found = false;
    for (const Param& q : b) {
      found =
          found || (escaped_equal(p.name, q.name, true) && escaped_equal(p.value, q.value, true));
    }
    if (!found) {
      return false;
    }
  }
  return true;
}

// Global numbers compare without their visual separators (RFC 3966 §4).
bool phone_numbers_equal(std::string_view a, std::string_view b) {
  auto next = [](std::string_view s, std::size_t& i) {
    while (i < s.size() && std::string_view{"-.()"}.find(s[i]) != std::string_view::npos) {
      ++i;
    }
    return i < s.size() ? detail::to_lower(s[i++]) : '\0';
  };
  std::size_t i = 0;
  std::size_t j = 0;
  for (;;) {
    const char x = next(a, i);
    const char y = next(b, j);
    if (x != y) {
      return false;
    }
    if (x == '\0') {
      return true;
    }
  }
}

} // namespace

bool uri_equivalent(const Uri& a, const Uri& b) {
  if (a.scheme != b.scheme) {
    return false;
  }
  switch (a.scheme) {
  case UriScheme::other:
    return detail::iequals(a.scheme_name, b.scheme_name) &&
           escaped_equal(a.opaque, b.opaque, false);
  case UriScheme::tel:
    return phone_numbers_equal(a.user, b.user) && params_match(a.params, b.params) &&
           params_match(b.params, a.params);
  case UriScheme::sip:
  case UriScheme::sips:
    break;
  }
  return escaped_equal(a.user, b.user, false) && a.has_password == b.has_password &&
         escaped_equal(a.password, b.password, false) && detail::iequals(a.host, b.host) &&
         a.port == b.port && params_match(a.params, b.params) && params_match(b.params, a.params) &&
         headers_match(a.headers, b.headers);
}

} // namespace starling::sip
