// URIs in SIP: sip/sips (RFC 3261 §19.1), tel (RFC 3966) and any other absoluteURI.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "sip/host.h"
#include "sip/param_list.h"
#include "sip/parse_error.h"

namespace starling::sip {

enum class UriScheme : std::uint8_t { sip, sips, tel, other };

// All parts are views into the parsed text, %-escapes kept as received; compare with
// uri_equivalent() and decode with unescape() when the decoded text is needed.
struct Uri {
  UriScheme scheme = UriScheme::other;
  std::string_view scheme_name; // as received ("SIP", "nobodyKnowsThisScheme")
  std::string_view user;        // tel: the telephone-subscriber number
  std::string_view password;
  bool has_password = false;
  std::string_view host; // IPv6 references keep their brackets
  HostType host_type = HostType::hostname;
  std::optional<std::uint16_t> port;
  ParamList params;        // ";transport=tcp;lr"
  ParamList headers;       // "?Route=%3Csip:example.com%3E" (the '?' is kept as separator)
  std::string_view opaque; // everything after "scheme:" for UriScheme::other
  std::string_view text;   // the whole URI

  [[nodiscard]] bool is_sip() const {
    return scheme == UriScheme::sip || scheme == UriScheme::sips;
  }
  [[nodiscard]] std::string_view transport() const { return params.value_of("transport"); }
  [[nodiscard]] std::string_view maddr() const { return params.value_of("maddr"); }
  [[nodiscard]] bool loose_route() const { return params.contains("lr"); }
};

std::expected<Uri, ValueError> parse_uri(std::string_view text);

// RFC 3261 §19.1.4 equivalence: userinfo case-sensitive, the rest case-insensitive, escapes
// equal to the characters they encode (except reserved ones), user/ttl/method/maddr
// parameters and all headers must match, other parameters only when both have them.
bool uri_equivalent(const Uri& a, const Uri& b);

// Decodes %HH escapes. Callers ensure the input was validated (parse_uri does).
std::string unescape(std::string_view text);

} // namespace starling::sip
