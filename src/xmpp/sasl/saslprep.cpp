// SASLprep's mapping and prohibition steps over a strict UTF-8 decoder.
#include "xmpp/sasl/saslprep.h"

#include <array>
#include <utility>

namespace starling::xmpp::sasl {

namespace {

using CodePoint = char32_t;
using Range = std::pair<CodePoint, CodePoint>; // inclusive

// RFC 3454 table B.1, "commonly mapped to nothing".
constexpr std::array kMappedToNothing{
    Range{0x00AD, 0x00AD}, Range{0x034F, 0x034F}, Range{0x1806, 0x1806}, Range{0x180B, 0x180D},
    Range{0x200B, 0x200D}, Range{0x2060, 0x2060}, Range{0xFE00, 0xFE0F}, Range{0xFEFF, 0xFEFF},
};

// RFC 3454 table C.1.2, non-ASCII space characters, which RFC 4013 §2.1 maps to U+0020.
constexpr std::array kNonAsciiSpaces{
    Range{0x00A0, 0x00A0}, Range{0x1680, 0x1680}, Range{0x2000, 0x200B},
    Range{0x202F, 0x202F}, Range{0x205F, 0x205F}, Range{0x3000, 0x3000},
};

// RFC 3454 tables C.2.1–C.9 as RFC 4013 §2.3 lists them (C.1.2 is mapped away before this,
// C.5's surrogates never leave the UTF-8 decoder, and C.4's non-characters are tested apart).
constexpr std::array kProhibited{
    Range{0x0000, 0x001F},   Range{0x007F, 0x009F},   Range{0x0340, 0x0341},
    Range{0x06DD, 0x06DD},   Range{0x070F, 0x070F},   Range{0x180E, 0x180E},
    Range{0x200C, 0x200F},   Range{0x2028, 0x202E},   Range{0x2060, 0x2063},
    Range{0x206A, 0x206F},   Range{0x2FF0, 0x2FFB},   Range{0xE000, 0xF8FF},
    Range{0xFDD0, 0xFDEF},   Range{0xFFF9, 0xFFFD},   Range{0x1D173, 0x1D17A},
    Range{0xE0001, 0xE0001}, Range{0xE0020, 0xE007F}, Range{0xF0000, 0x10FFFF},
};

template <std::size_t N> bool in(const std::array<Range, N>& ranges, CodePoint c) {
  for (const auto& [first, last] : ranges) {
    if (c >= first && c <= last) {
      return true;
    }
  }
  return false;
}

bool is_non_character(CodePoint c) {
  return (c & 0xFFFEU) == 0xFFFEU; // U+FFFE, U+FFFF, U+1FFFE, … (U+FDD0–FDEF are listed)
}

// One code point from the front of `text`, strictly (RFC 3629 §4): no overlong forms, no
// surrogates, nothing above U+10FFFF. Advances `text`.
std::optional<CodePoint> next_code_point(std::string_view& text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  CodePoint c = 0;
  CodePoint minimum = 0;
  if (lead < 0x80) {
    text.remove_prefix(1);
    return lead;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    c = lead & 0x1FU;
    minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    c = lead & 0x0FU;
    minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    c = lead & 0x07U;
    minimum = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() < length) {
    return std::nullopt;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0U) != 0x80U) {
      return std::nullopt;
    }
    c = (c << 6U) | (byte(i) & 0x3FU);
  }
  if (c < minimum || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    return std::nullopt;
  }
  text.remove_prefix(length);
  return c;
}

void append_utf8(std::string& out, CodePoint c) {
  const auto put = [&out](CodePoint bits) { out += static_cast<char>(bits); };
  if (c < 0x80) {
    put(c);
  } else if (c < 0x800) {
    put(0xC0U | (c >> 6U));
    put(0x80U | (c & 0x3FU));
  } else if (c < 0x10000) {
    put(0xE0U | (c >> 12U));
    put(0x80U | ((c >> 6U) & 0x3FU));
    put(0x80U | (c & 0x3FU));
  } else {
    put(0xF0U | (c >> 18U));
    put(0x80U | ((c >> 12U) & 0x3FU));
    put(0x80U | ((c >> 6U) & 0x3FU));
    put(0x80U | (c & 0x3FU));
  }
}

} // namespace

std::expected<std::string, SaslprepError> saslprep(std::string_view text) {
  std::string prepared;
  prepared.reserve(text.size());
  while (!text.empty()) {
    const auto c = next_code_point(text);
    if (!c) {
      return std::unexpected(SaslprepError::invalid_utf8);
    }
    if (in(kMappedToNothing, *c)) {
      continue;
    }
    if (in(kNonAsciiSpaces, *c)) {
      prepared += ' ';
      continue;
    }
    if (in(kProhibited, *c) || is_non_character(*c)) {
      return std::unexpected(SaslprepError::prohibited_character);
    }
    append_utf8(prepared, *c);
  }
  return prepared;
}

std::string escape_saslname(std::string_view name) {
  std::string escaped;
  escaped.reserve(name.size());
  for (const char c : name) {
    if (c == ',') {
      escaped += "=2C";
    } else if (c == '=') {
      escaped += "=3D";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::optional<std::string> unescape_saslname(std::string_view saslname) {
  std::string name;
  name.reserve(saslname.size());
  for (std::size_t i = 0; i < saslname.size(); ++i) {
    const char c = saslname[i];
    if (c == ',' || c == '\0') {
      return std::nullopt;
    }
    if (c != '=') {
      name += c;
      continue;
    }
    const std::string_view escape = saslname.substr(i + 1, 2);
    if (escape == "2C") {
      name += ',';
    } else if (escape == "3D") {
      name += '=';
    } else {
      return std::nullopt;
    }
    i += 2;
  }
  return name;
}

} // namespace starling::xmpp::sasl
