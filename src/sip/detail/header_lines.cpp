// Header line splitting: folds, bare CR/LF, the name and the colon.
#include "sip/detail/header_lines.h"

#include "sip/detail/chars.h"
#include "sip/detail/scanner.h"
#include "sip/limits.h"

namespace starling::sip::detail {

namespace {

// Index of the CRLF ending the (possibly folded) line that starts at `pos`. The line is
// searched for CR and LF with find (memchr) rather than byte by byte: header lines were a
// tenth of a REGISTER's instructions when every byte went through two compares.
std::expected<std::size_t, std::string_view> find_line_end(std::string_view bytes,
                                                           std::size_t pos) {
  for (std::size_t from = pos;;) {
    const std::size_t lf = bytes.find('\n', from);
    const std::size_t cr = bytes.find('\r', from);
    // Whichever of a lone CR or a lone LF comes first names the error.
    if (lf == std::string_view::npos) {
      return std::unexpected(cr == std::string_view::npos ? "Header line without CRLF"
                                                          : "Bare CR in header");
    }
    if (cr == std::string_view::npos || cr > lf) {
      return std::unexpected("Bare LF in header");
    }
    if (cr + 1 < lf) {
      return std::unexpected("Bare CR in header");
    }
    // RFC 3261 §7.3.1: a line starting with SP or HT continues the previous one.
    if (lf + 1 < bytes.size() && is_wsp(bytes[lf + 1])) {
      from = lf + 1;
      continue;
    }
    return cr;
  }
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
