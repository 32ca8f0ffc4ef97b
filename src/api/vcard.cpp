// vCard 4.0 (RFC 6350) for the address books phones and mail programs import.
#include "api/vcard.h"

namespace starling::api {

namespace {

// RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets, excluding the line break.
constexpr std::size_t kMaxLineOctets = 75;

bool is_utf8_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// RFC 6350 §3.4.
std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
    case '\\':
    case ',':
    case ';':
      out += '\\';
      out += c;
      break;
    case '\r':
      if (i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      out += "\\n";
      break;
    case '\n':
      out += "\\n";
      break;
    default:
      if (c == '\t' || (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F)) {
        out += c;
      }
    }
  }
  return out;
}

// Appends one content line, folded: a line break and a space before every further piece.
void append_line(std::string& out, std::string_view line) {
  std::size_t room = kMaxLineOctets;
  while (line.size() > room) {
    std::size_t cut = room;
    while (cut > 0 && is_utf8_continuation(line[cut])) {
      --cut;
    }
    out += line.substr(0, cut);
    out += "\r\n ";
    line.remove_prefix(cut);
    room = kMaxLineOctets - 1; // the leading space counts
  }
  out += line;
  out += "\r\n";
}

void append_property(std::string& out, std::string_view name, std::string_view value) {
  if (!value.empty()) {
    append_line(out, std::string(name) + ":" + escaped(value));
  }
}

} // namespace

std::pair<std::string, std::string> family_and_given(std::string_view full_name) {
  while (!full_name.empty() && full_name.back() == ' ') {
    full_name.remove_suffix(1);
  }
  while (!full_name.empty() && full_name.front() == ' ') {
    full_name.remove_prefix(1);
  }
  const auto space = full_name.rfind(' ');
  if (space == std::string_view::npos) {
    return {std::string(full_name), {}};
  }
  std::string_view given = full_name.substr(0, space);
  while (!given.empty() && given.back() == ' ') {
    given.remove_suffix(1);
  }
  return {std::string(full_name.substr(space + 1)), std::string(given)};
}

std::string vcard_text(const VCard& card) {
  std::string out = "BEGIN:VCARD\r\nVERSION:4.0\r\n";
  if (card.group) {
    out += "KIND:group\r\n";
  }
  append_property(out, "UID;VALUE=text", card.uid);
  append_line(out, "FN:" + escaped(card.formatted_name));
  if (!card.group) {
    // N is structured: family;given;additional;prefixes;suffixes (§6.2.2).
    append_line(out, "N:" + escaped(card.family_name) + ";" + escaped(card.given_name) + ";;;");
  }
  append_property(out, "ORG", card.organization);
  for (const auto& telephone : card.telephones) {
    append_property(out, telephone.type.empty() ? "TEL" : "TEL;TYPE=" + telephone.type,
                    telephone.number);
  }
  append_property(out, "EMAIL", card.email);
  append_property(out, "NOTE", card.note);
  out += "END:VCARD\r\n";
  return out;
}

} // namespace starling::api
