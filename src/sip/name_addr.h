// name-addr / addr-spec values with header parameters: From, To, Contact, Route, Path, PAI …
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "sip/param_list.h"
#include "sip/parse_error.h"
#include "sip/uri.h"

namespace starling::sip {

// ( name-addr / addr-spec ) *( SEMI generic-param )   (RFC 3261 §20.10, §20.20, §20.39 …)
struct NameAddr {
  // Without the quotes, quoted-pairs kept ("J Rosenberg \\\""); decode with unquote().
  std::string_view display_name;
  bool display_name_quoted = false;
  bool bracketed = false; // written as <uri>
  Uri uri;
  ParamList params; // header parameters: tag, expires, q, …

  [[nodiscard]] std::string_view tag() const { return params.value_of("tag"); }
};

// Parses one value; list headers (Contact, Route …) are split with CommaList first.
std::expected<NameAddr, ValueError> parse_name_addr(std::string_view value);

// Contact = STAR / contact-param (RFC 3261 §20.10)
struct Contact {
  bool wildcard = false; // "Contact: *" (REGISTER removal of all bindings)
  NameAddr address;

  // The expires parameter; nothing when absent or not a valid delta-seconds.
  [[nodiscard]] std::optional<std::uint32_t> expires() const;
  // q as thousandths (q=0.5 → 500); nothing when absent or malformed.
  [[nodiscard]] std::optional<std::uint16_t> q() const;
};

std::expected<Contact, ValueError> parse_contact(std::string_view value);

// Decodes the quoted-pairs of a quoted-string's content ("a\"b" → a"b).
std::string unquote(std::string_view quoted_content);

} // namespace starling::sip
