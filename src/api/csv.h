// CSV export (RFC 4180) that is safe to open in a spreadsheet.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace starling::api {

// One record: fields quoted where RFC 4180 §2 requires (a comma, quote, CR or LF inside),
// joined by commas, ended by CRLF. A field that a spreadsheet would run as a formula
// (starting with = + - @, tab or CR) is prefixed with an apostrophe, so that an exported
// caller name such as "=HYPERLINK(...)" stays text (OWASP, "CSV Injection").
std::string csv_record(std::initializer_list<std::string_view> fields);

} // namespace starling::api
