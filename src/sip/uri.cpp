// Parsing of sip, sips, tel and other URIs (RFC 3261 §19.1, §25; RFC 3966).
#include "sip/uri.h"

#include <array>

#include "sip/detail/chars.h"
#include "sip/detail/scanner.h"
#include "sip/limits.h"

namespace starling::sip {

namespace {

using detail::Scanner;

ValueError fail(std::string_view reason, const Scanner& s) {
  return ValueError{reason, s.pos()};
}

// Takes characters allowed by `pred` or %HH escapes; nothing when an escape is broken.
template <typename Pred> std::optional<std::string_view> take_escaped(Scanner& s, Pred pred) {
  const std::size_t start = s.pos();
  while (!s.at_end()) {
    const char c = s.peek();
    if (c == '%') {
      const std::string_view r = s.rest();
      if (r.size() < 3 || !detail::is_hex(r[1]) || !detail::is_hex(r[2])) {
        return std::nullopt;
      }
      s.advance(3);
    } else if (pred(c)) {
      s.advance();
    } else {
      break;
    }
  }
  return s.slice(start);
}

bool is_user_char(char c) {
  return detail::is_unreserved(c) || detail::is_user_unreserved(c);
}
bool is_param_char(char c) {
  return detail::is_unreserved(c) || detail::is_param_unreserved(c);
}
bool is_header_char(char c) {
  return detail::is_unreserved(c) || detail::is_hnv_unreserved(c);
}
bool is_uric(char c) {
  return detail::is_unreserved(c) ||
         std::string_view{";/?:@&=+$,"}.find(c) != std::string_view::npos;
}
bool is_host_char(char c) {
  return detail::is_alnum(c) || c == '-' || c == '.';
}
bool is_phone_char(char c) {
  return detail::is_hex(c) || std::string_view{"*#-.()"}.find(c) != std::string_view::npos;
}

// userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"; user cannot hold '@'.
std::optional<ValueError> parse_userinfo(std::string_view userinfo, Uri& uri) {
  Scanner s{userinfo};
  const auto user = take_escaped(s, is_user_char);
  if (!user || user->empty()) {
    return fail("malformed user", s);
  }
  uri.user = *user;
  if (s.consume(':')) {
    const auto password = take_escaped(s, detail::is_password_char);
    if (!password) {
      return fail("malformed password", s);
    }
    uri.password = *password;
    uri.has_password = true;
  }
  return s.at_end() ? std::nullopt : std::optional{fail("malformed user", s)};
}

std::optional<ValueError> parse_hostport(Scanner& s, Uri& uri) {
  const std::size_t start = s.pos();
  if (s.peek() == '[') {
    (void)s.take_while([](char c) { return c != ']'; });
    if (!s.consume(']')) {
      return fail("unterminated IPv6 reference", s);
    }
  } else {
    (void)s.take_while(is_host_char);
  }
  uri.host = s.slice(start);
  const auto type = classify_host(uri.host);
  if (!type) {
    return fail("malformed host", s);
  }
  uri.host_type = *type;
  if (s.consume(':')) {
    const std::string_view digits = s.take_while(detail::is_digit);
    if (digits.empty() || digits.size() > 5) {
      return fail("malformed port", s);
    }
    unsigned value = 0;
    for (char c : digits) {
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > 65535) {
      return fail("malformed port", s);
    }
    uri.port = static_cast<std::uint16_t>(value);
  }
  return std::nullopt;
}

// *( ";" pname [ "=" pvalue ] ) — also used for tel parameters.
std::optional<ValueError> parse_uri_params(Scanner& s, Uri& uri) {
  const std::size_t start = s.pos();
  std::array<std::string_view, kMaxParamCount> names{};
  std::size_t count = 0;
  while (s.consume(';')) {
    const auto name = take_escaped(s, is_param_char);
    if (!name || name->empty() || count == kMaxParamCount) {
      return fail("malformed URI parameter", s);
    }
    // A repeated name is ambiguous (RFC 3966 §3 forbids it; which transport would count?).
    for (std::size_t i = 0; i < count; ++i) {
      if (detail::iequals(names[i], *name)) {
        return fail("duplicate URI parameter", s);
      }
    }
    names[count++] = *name;
    if (s.consume('=')) {
      const auto value = take_escaped(s, is_param_char);
      if (!value || value->empty()) {
        return fail("malformed URI parameter value", s);
      }
    }
  }
  uri.params = ParamList{s.slice(start)};
  return std::nullopt;
}

// headers = "?" header *( "&" header ); header = hname "=" hvalue
std::optional<ValueError> parse_uri_headers(Scanner& s, Uri& uri) {
  const std::size_t start = s.pos();
  if (!s.consume('?')) {
    return std::nullopt;
  }
  std::size_t count = 0;
  do {
    const auto name = take_escaped(s, is_header_char);
    if (!name || name->empty() || !s.consume('=') || ++count > kMaxParamCount) {
      return fail("malformed URI header", s);
    }
    if (!take_escaped(s, is_header_char)) {
      return fail("malformed URI header value", s);
    }
  } while (s.consume('&'));
  uri.headers = ParamList{s.slice(start)};
  return std::nullopt;
}

std::optional<ValueError> parse_sip_uri(Scanner& s, Uri& uri) {
  const std::string_view rest = s.rest();
  const std::size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    if (auto failure = parse_userinfo(rest.substr(0, at), uri)) {
      return ValueError{failure->reason, s.pos() + failure->offset};
    }
    s.advance(at + 1);
  }
  for (auto step : {parse_hostport, parse_uri_params, parse_uri_headers}) {
    if (auto failure = step(s, uri)) {
      return failure;
    }
  }
  return s.at_end() ? std::nullopt : std::optional{fail("unexpected character in URI", s)};
}

// telephone-subscriber: "+" digits for global numbers, hex digits, * and # for local ones,
// with visual separators; parameters follow (RFC 3966 §3).
std::optional<ValueError> parse_tel_uri(Scanner& s, Uri& uri) {
  const std::size_t start = s.pos();
  (void)s.consume('+');
  if (s.take_while(is_phone_char).empty()) {
    return fail("malformed telephone number", s);
  }
  uri.user = s.slice(start);
  if (auto failure = parse_uri_params(s, uri)) {
    return failure;
  }
  return s.at_end() ? std::nullopt : std::optional{fail("unexpected character in URI", s)};
}

std::optional<ValueError> parse_other_uri(Scanner& s, Uri& uri) {
  const auto opaque = take_escaped(s, is_uric);
  if (!opaque || opaque->empty() || !s.at_end()) {
    return fail("malformed URI", s);
  }
  uri.opaque = *opaque;
  return std::nullopt;
}

} // namespace

std::expected<Uri, ValueError> parse_uri(std::string_view text) {
  Uri uri;
  uri.text = text;
  Scanner s{text};
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  if (!detail::is_alpha(s.peek())) {
    return std::unexpected(fail("malformed URI scheme", s));
  }
  uri.scheme_name =
      s.take_while([](char c) { return detail::is_alnum(c) || c == '+' || c == '-' || c == '.'; });
  if (!s.consume(':')) {
    return std::unexpected(fail("malformed URI scheme", s));
  }
  std::optional<ValueError> failure;
  if (detail::iequals(uri.scheme_name, "sip") || detail::iequals(uri.scheme_name, "sips")) {
    uri.scheme = uri.scheme_name.size() == 3 ? UriScheme::sip : UriScheme::sips;
    failure = parse_sip_uri(s, uri);
  } else if (detail::iequals(uri.scheme_name, "tel")) {
    uri.scheme = UriScheme::tel;
    failure = parse_tel_uri(s, uri);
  } else {
    failure = parse_other_uri(s, uri);
  }
  if (failure) {
    return std::unexpected(*failure);
  }
  return uri;
}

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && detail::is_hex(text[i + 1]) &&
        detail::is_hex(text[i + 2])) {
      out.push_back(
          static_cast<char>(detail::hex_value(text[i + 1]) * 16 + detail::hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

} // namespace starling::sip
