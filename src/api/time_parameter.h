// Points in time as query parameters take them: Unix seconds or an RFC 3339 date-time.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "store/records.h"

namespace starling::api {

// "1767225600", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00+01:00" (fractions of a second
// are dropped). A query string may turn a "+" into a space; a space before the offset is
// read as "+". The error says what is wrong, for a problem document.
std::expected<store::UnixTime, std::string> parse_time(std::string_view text);

} // namespace starling::api
