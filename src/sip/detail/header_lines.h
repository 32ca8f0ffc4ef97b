// Splits the header section of a SIP message into header lines (RFC 3261 §7.3.1).
#pragma once

#include <cstddef>
#include <expected>
#include <string_view>

#include "sip/message.h"

namespace starling::sip::detail {

// Reads the header line that starts at `pos`, with its folded continuation lines, and
// advances `pos` past its CRLF. The error is a static reason phrase.
std::expected<HeaderField, std::string_view> read_header_line(std::string_view bytes,
                                                              std::size_t& pos);

// Whether `bytes` starting at `pos` begins with CRLF.
constexpr bool at_crlf(std::string_view bytes, std::size_t pos) {
  return pos + 1 < bytes.size() && bytes[pos] == '\r' && bytes[pos + 1] == '\n';
}

} // namespace starling::sip::detail
