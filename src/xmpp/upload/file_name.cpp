// Sanitises upload file names and percent-encodes them for URLs.
#include "xmpp/upload/file_name.h"

#include <array>
#include <cstdint>

namespace starling::xmpp::upload {

namespace {

// The length of the UTF-8 sequence starting at `text[at]` (RFC 3629 §4), or 0 if it is not
// one: overlong forms, surrogates and code points past U+10FFFF are refused.
std::size_t utf8_sequence(std::string_view text, std::size_t at, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[at + i]); };
  const std::uint8_t lead = byte(0);
  std::size_t length = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1FU;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0FU;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07U;
  } else {
    return 0;
  }
  if (at + length > text.size()) {
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0U) != 0x80) {
      return 0;
    }
    code_point = (code_point << 6U) | (byte(i) & 0x3FU);
  }
  constexpr std::array<char32_t, 5> kSmallest = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kSmallest.at(length) || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return 0;
  }
  return length;
}

// Characters that reorder the text around them: "photo\u202Egpj.exe" shows as
// "photoexe.jpg".
bool is_bidi_control(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
         c == 0x200F || c == 0x061C;
}

bool is_unsafe_ascii(char32_t c) {
  return c < 0x20 || c == 0x7F || c == '/' || c == '\\' || c == '"';
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

} // namespace

std::optional<std::string> sanitize_file_name(std::string_view name) {
  if (name.size() > kMaxFileNameBytes) {
    return std::nullopt;
  }
  std::string safe;
  safe.reserve(name.size());
  for (std::size_t at = 0; at < name.size();) {
    char32_t code_point = 0;
    const auto length = utf8_sequence(name, at, code_point);
    if (length == 0) {
      return std::nullopt;
    }
    if (is_unsafe_ascii(code_point) || is_bidi_control(code_point)) {
      safe += '_';
    } else {
      safe.append(name.substr(at, length));
    }
    at += length;
  }
  const auto first = safe.find_first_not_of(' ');
  if (first == std::string::npos) {
    return std::nullopt;
  }
  safe = safe.substr(first, safe.find_last_not_of(' ') - first + 1);
  for (auto& c : safe) {
    if (c != '.') {
      break;
    }
    c = '_';
  }
  return safe;
}

std::string encode_path_segment(std::string_view segment) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(segment.size());
  for (const char c : segment) {
    const auto byte = static_cast<unsigned char>(c);
    if (is_unreserved(byte)) {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4U];
      encoded += kHex[byte & 0x0FU];
    }
  }
  return encoded;
}

std::optional<std::string> decode_path_segment(std::string_view segment) {
  std::string decoded;
  decoded.reserve(segment.size());
  for (std::size_t at = 0; at < segment.size(); ++at) {
    if (segment[at] != '%') {
      if (segment[at] == '/') {
        return std::nullopt;
      }
      decoded += segment[at];
      continue;
    }
    if (at + 2 >= segment.size()) {
      return std::nullopt;
    }
    const int high = hex_value(segment[at + 1]);
    const int low = hex_value(segment[at + 2]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    const auto byte = static_cast<char>((high << 4) | low);
    if (byte == '\0' || byte == '/') {
      return std::nullopt;
    }
    decoded += byte;
    at += 2;
  }
  return decoded;
}

} // namespace starling::xmpp::upload
