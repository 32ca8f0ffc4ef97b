// Parsing of name-addr and addr-spec with header parameters, and of Contact values.
#include "sip/name_addr.h"

#include "sip/detail/chars.h"
#include "sip/detail/params.h"
#include "sip/detail/scanner.h"
#include "sip/scalars.h"

namespace starling::sip {

namespace {

using detail::Scanner;

// display-name = *(token LWS) / quoted-string. Returns whether a name-addr ("... <uri>")
// follows; otherwise the value is an addr-spec and the scanner is back at the start.
std::expected<bool, ValueError> scan_display_name(Scanner& s, NameAddr& out) {
  const std::size_t start = s.pos();
  if (s.peek() == '"') {
    const auto quoted = s.take_quoted_string();
    if (!quoted) {
      return std::unexpected(ValueError{"unterminated quoted string", s.pos()});
    }
    out.display_name = *quoted;
    out.display_name_quoted = true;
    s.skip_lws();
    if (s.peek() != '<') {
      return std::unexpected(ValueError{"display name without <URI>", s.pos()});
    }
    return true;
  }
  std::size_t end = start;
  while (!s.take_token().empty()) {
    end = s.pos();
    s.skip_lws();
  }
  if (s.peek() == '<') {
    out.display_name = s.text().substr(start, end - start);
    return true;
  }
  s.reset(start);
  return false;
}

std::optional<ValueError> scan_bracketed_uri(Scanner& s, NameAddr& out) {
  s.advance(); // '<'
  const std::string_view rest = s.rest();
  const std::size_t close = rest.find('>');
  if (close == std::string_view::npos) {
    return ValueError{"missing >", s.pos()};
  }
  // No LWS inside the brackets (RFC 4475 badaspec): parse_uri rejects it.
  const auto uri = parse_uri(rest.substr(0, close));
  if (!uri) {
    return ValueError{uri.error().reason, s.pos() + uri.error().offset};
  }
  out.uri = *uri;
  out.bracketed = true;
  s.advance(close + 1);
  return std::nullopt;
}

// RFC 3261 §20: a URI holding a comma, question mark or semicolon must be in <>; without
// them, semicolons start header parameters (RFC 4475 regbadct, cparam01).
std::optional<ValueError> scan_addr_spec(Scanner& s, NameAddr& out) {
  const std::string_view text =
      s.take_while([](char c) { return c != ';' && c != ',' && !detail::is_lws(c); });
  if (text.find('?') != std::string_view::npos) {
    return ValueError{"URI with headers must be enclosed in <>", s.pos()};
  }
  const auto uri = parse_uri(text);
  if (!uri) {
    return ValueError{uri.error().reason, uri.error().offset};
  }
  out.uri = *uri;
  return std::nullopt;
}

} // namespace

std::expected<NameAddr, ValueError> parse_name_addr(std::string_view value) {
  NameAddr out;
  Scanner s{detail::trim_lws(value)};
  const auto name_addr = scan_display_name(s, out);
  if (!name_addr) {
    return std::unexpected(name_addr.error());
  }
  auto failure = *name_addr ? scan_bracketed_uri(s, out) : scan_addr_spec(s, out);
  if (failure) {
    return std::unexpected(*failure);
  }
  const auto params = detail::scan_generic_params(s);
  if (!params) {
    return std::unexpected(params.error());
  }
  out.params = *params;
  s.skip_lws();
  if (!s.at_end()) {
    return std::unexpected(ValueError{"unexpected text after parameters", s.pos()});
  }
  return out;
}

std::expected<Contact, ValueError> parse_contact(std::string_view value) {
  if (detail::trim_lws(value) == "*") {
    return Contact{true, {}};
  }
  auto address = parse_name_addr(value);
  if (!address) {
    return std::unexpected(address.error());
  }
  return Contact{false, *address};
}

std::optional<std::uint32_t> Contact::expires() const {
  const auto p = address.params.find("expires");
  if (!p || !p->has_value) {
    return std::nullopt;
  }
  const auto seconds = parse_delta_seconds(p->value);
  return seconds ? std::optional{*seconds} : std::nullopt;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
std::optional<std::uint16_t> Contact::q() const {
  const std::string_view v = address.params.value_of("q");
  if (v.empty() || (v[0] != '0' && v[0] != '1') || v.size() > 5 || (v.size() > 1 && v[1] != '.')) {
    return std::nullopt;
  }
  std::uint16_t thousandths = v[0] == '1' ? 1000 : 0;
  std::uint16_t scale = 100;
  for (std::size_t i = 2; i < v.size(); ++i, scale = static_cast<std::uint16_t>(scale / 10)) {
    if (!detail::is_digit(v[i])) {
      return std::nullopt;
    }
    thousandths = static_cast<std::uint16_t>(thousandths + (v[i] - '0') * scale);
  }
  return thousandths <= 1000 ? std::optional{thousandths} : std::nullopt;
}

std::string unquote(std::string_view quoted_content) {
  std::string out;
  out.reserve(quoted_content.size());
  for (std::size_t i = 0; i < quoted_content.size(); ++i) {
    if (quoted_content[i] == '\\' && i + 1 < quoted_content.size()) {
      ++i;
    }
    out.push_back(quoted_content[i]);
  }
  return out;
}

} // namespace starling::sip
