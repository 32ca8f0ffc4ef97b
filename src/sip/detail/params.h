// Parsing of generic-param lists (RFC 3261 §25: *( SEMI generic-param )) for value parsers.
#pragma once

#include <expected>

#include "sip/detail/scanner.h"
#include "sip/param_list.h"
#include "sip/parse_error.h"

namespace starling::sip::detail {

// Consumes *( SEMI generic-param ) where generic-param = token [ EQUAL gen-value ] and
// gen-value = token / host / quoted-string. Stops before anything else (a comma, the end).
std::expected<ParamList, ValueError> scan_generic_params(Scanner& s);

// gen-value characters outside quotes: token characters plus the IPv6 reference ones.
constexpr bool is_gen_value_char(char c) {
  return is_token_char(c) || c == '[' || c == ']' || c == ':';
}

} // namespace starling::sip::detail
