// vCard 4.0 text: properties, escaping and line folding (RFC 6350).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "api/vcard.h"

namespace starling::api {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "every line ends in CRLF";
    if (end == std::string::npos) {
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

TEST(VCard, WritesAVersion4CardWithTheGivenProperties) {
  VCard card;
  card.uid = "starling-contact-7";
  card.formatted_name = "Anna Meier";
  std::tie(card.family_name, card.given_name) = family_and_given(card.formatted_name);
  card.organization = "Acme";
  card.telephones = {{"cell", "+41 79 123 45 67"}, {"", "201"}};
  card.email = "anna@example.com";
  card.note = "likes tea";
  EXPECT_EQ(vcard_text(card), "BEGIN:VCARD\r\n"
                              "VERSION:4.0\r\n"
                              "UID;VALUE=text:starling-contact-7\r\n"
                              "FN:Anna Meier\r\n"
                              "N:Meier;Anna;;;\r\n"
                              "ORG:Acme\r\n"
                              "TEL;TYPE=cell:+41 79 123 45 67\r\n"
                              "TEL:201\r\n"
                              "EMAIL:anna@example.com\r\n"
                              "NOTE:likes tea\r\n"
                              "END:VCARD\r\n");
}

TEST(VCard, EscapesBackslashCommaSemicolonAndNewlines) {
  VCard card;
  card.formatted_name = "Meier, Anna; \\ the boss";
  card.note = "line one\nline two\r\nline three";
  const auto lines = lines_of(vcard_text(card));
  EXPECT_NE(std::ranges::find(lines, "FN:Meier\\, Anna\\; \\\\ the boss"), lines.end());
  EXPECT_NE(std::ranges::find(lines, "NOTE:line one\\nline two\\nline three"), lines.end());
}

TEST(VCard, DropsControlCharactersNoValueMayHold) {
  VCard card;
  card.formatted_name = std::string("bell\x07 and\x1b escape\x7f");
  const auto lines = lines_of(vcard_text(card));
  EXPECT_NE(std::ranges::find(lines, "FN:bell and escape"), lines.end());
}

TEST(VCard, FoldsLongLinesAt75OctetsWithoutSplittingACharacter) {
  VCard card;
  card.formatted_name = "x";
  // "NOTE:" and 200 two-octet characters: 405 octets.
  std::string note;
  for (int i = 0; i < 200; ++i) {
    note += "\xc3\xa9"; // é
  }
  card.note = note;
  const auto lines = lines_of(vcard_text(card));
  std::string unfolded;
  bool in_note = false;
  for (const auto& line : lines) {
    EXPECT_LE(line.size(), 75U) << line;
    if (line.starts_with("NOTE:")) {
      in_note = true;
      unfolded = line;
    } else if (in_note && line.starts_with(" ")) {
      // A piece may not start inside a character: its first octet is no continuation.
      EXPECT_NE(static_cast<unsigned char>(line[1]) & 0xC0, 0x80);
      unfolded += line.substr(1);
    } else {
      in_note = false;
    }
  }
  EXPECT_EQ(unfolded, "NOTE:" + note);
}

TEST(VCard, MarksGroupsAndGivesThemNoName) {
  VCard card;
  card.group = true;
  card.formatted_name = "Sales";
  const auto lines = lines_of(vcard_text(card));
  EXPECT_NE(std::ranges::find(lines, "KIND:group"), lines.end());
  EXPECT_EQ(std::ranges::count_if(lines, [](const auto& line) { return line.starts_with("N:"); }),
            0);
}

TEST(VCard, SplitsAWholeNameIntoFamilyAndGivenNames) {
  using Names = std::pair<std::string, std::string>;
  EXPECT_EQ(family_and_given("Anna Maria Meier"), Names("Meier", "Anna Maria"));
  EXPECT_EQ(family_and_given(" Cher "), Names("Cher", ""));
  EXPECT_EQ(family_and_given(""), Names("", ""));
}

} // namespace
} // namespace starling::api
