// Header line splitting: folds, bare CR/LF, the name and the colon.
#include "sip/detail/header_lines.h"

#include "sip/detail/chars.h"
#include "sip/detail/scanner.h"
#include "sip/limits.h"

namespace starling::sip::detail {

namespace {

// Index of the CRLF ending the (possibly folded) line that starts at `pos`.
std::expected<std::size_t, std::string_view> find_line_end(std::string_view bytes,
                                                           std::size_t pos) {
  for (std::size_t i = pos; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == '\n') {
      return std::unexpected("Bare LF in header");
    }
    if (c != '\r') {
      continue;
    }
    if (!at_crlf(bytes, i)) {
      return std::unexpected("Bare CR in header");
    }
    // RFC 3261 §7.3.1: a line starting with SP or HT continues the previous one.
    if (i + 2 < bytes.size() && is_wsp(bytes[i + 2])) {
      ++i;
      continue;
    }
    return i;
  }
  return std::unexpected("Header line without CRLF");
}

} // namespace

std::expected<HeaderField, std::string_view> read_header_line(std::string_view bytes,
                                                              std::size_t& pos) {
  if (pos < bytes.size() && is_wsp(bytes[pos])) {
    return std::unexpected("Header line starts with white space");
  }
  const auto end = find_line_end(bytes, pos);
  if (!end) {
    return std::unexpected(end.error());
  }
  const std::string_view raw = bytes.substr(pos, *end + 2 - pos);
  if (raw.size() > kMaxLineLength) {
    return std::unexpected("Header line too long");
  }
  const std::string_view line = raw.substr(0, raw.size() - 2);
  std::size_t i = 0;
  while (i < line.size() && is_token_char(line[i])) {
    ++i;
  }
  const std::string_view name = line.substr(0, i);
  while (i < line.size() && is_wsp(line[i])) {
    ++i;
  }
  if (name.empty() || i >= line.size() || line[i] != ':') {
    return std::unexpected("Malformed header line");
  }
  pos = *end + 2;
  return HeaderField{header_id(name), name, trim_lws(line.substr(i + 1)), raw};
}

} // namespace starling::sip::detail
