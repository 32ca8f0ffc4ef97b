// CSV export (RFC 4180) that is safe to open in a spreadsheet.
#include "api/csv.h"

#include <utility>

namespace starling::api {

namespace {

constexpr std::string_view kFormulaStarts = "=+-@\t\r";
constexpr std::string_view kNeedsQuotes = ",\"\r\n";

void append_field(std::string& out, std::string_view field) {
  std::string text;
  if (!field.empty() && kFormulaStarts.find(field.front()) != std::string_view::npos) {
    text = "'";
  }
  text += field;
  if (text.find_first_of(kNeedsQuotes) == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') {
      out += '"'; // RFC 4180 §2.7: a quote inside a quoted field is doubled
    }
    out += c;
  }
  out += '"';
}

} // namespace

std::string csv_record(std::initializer_list<std::string_view> fields) {
  std::string out;
  bool first = true;
  for (const auto field : fields) {
    if (!std::exchange(first, false)) {
      out += ',';
    }
    append_field(out, field);
  }
  out += "\r\n";
  return out;
}

} // namespace starling::api
