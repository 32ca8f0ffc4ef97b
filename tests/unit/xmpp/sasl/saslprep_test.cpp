// Tests of SASLprep (RFC 4013) and the SCRAM user name escaping (RFC 5802 §5.1).
#include <gtest/gtest.h>

#include "xmpp/sasl/saslprep.h"

namespace starling::xmpp::sasl {
namespace {

TEST(Saslprep, LeavesAsciiAsItIs) {
  EXPECT_EQ(saslprep("user"), "user");
  EXPECT_EQ(saslprep("USER"), "USER");
  EXPECT_EQ(saslprep("pen cil!~"), "pen cil!~");
  EXPECT_EQ(saslprep(""), "");
}

TEST(Saslprep, MapsRfc4013Section3Examples) {
  EXPECT_EQ(saslprep("I\xc2\xadX"), "IX"); // SOFT HYPHEN mapped to nothing
}

TEST(Saslprep, MapsNonAsciiSpacesToSpaceAndZeroWidthCharactersToNothing) {
  EXPECT_EQ(saslprep("a\xc2\xa0"
                     "b"),
            "a b"); // U+00A0
  EXPECT_EQ(saslprep("a\xe3\x80\x80"
                     "b"),
            "a b"); // U+3000 IDEOGRAPHIC SPACE
  EXPECT_EQ(saslprep("a\xe2\x80\x8b"
                     "b"),
            "ab"); // U+200B ZERO WIDTH SPACE
  EXPECT_EQ(saslprep("\xef\xbb\xbf"
                     "ab"),
            "ab");                                             // U+FEFF BOM
  EXPECT_EQ(saslprep("caf\xc3\xa9"), "caf\xc3\xa9");           // ordinary letters pass
  EXPECT_EQ(saslprep("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80"); // U+1F600 (four bytes)
}

TEST(Saslprep, RefusesProhibitedCharacters) {
  for (const std::string_view text : {
           "a\x07",             // RFC 4013 §3: U+0007
           "a\x7f",             // DEL
           "a\xc2\x85",         // U+0085, a C1 control
           "a\xe2\x80\xa8",     // U+2028 LINE SEPARATOR
           "a\xee\x80\x80",     // U+E000 private use
           "a\xef\xbf\xbe",     // U+FFFE non-character
           "a\xef\xbf\xbd",     // U+FFFD REPLACEMENT CHARACTER (C.6)
           "a\xe2\x80\x8e",     // U+200E LEFT-TO-RIGHT MARK (C.8)
           "a\xf3\xa0\x80\x81", // U+E0001 LANGUAGE TAG (C.9)
       }) {
    EXPECT_EQ(saslprep(text).error(), SaslprepError::prohibited_character) << text;
  }
  EXPECT_EQ(saslprep(std::string_view("a\0b", 3)).error(), SaslprepError::prohibited_character);
}

TEST(Saslprep, RefusesMalformedUtf8) {
  for (const std::string_view text : {
           "\xff",             // never a UTF-8 byte
           "\xc0\xaf",         // overlong '/'
           "\xe0\x80\xaf",     // overlong, three bytes
           "\xed\xa0\x80",     // surrogate U+D800
           "\xf4\x90\x80\x80", // above U+10FFFF
           "\xc3",             // truncated
           "\xe2\x82",         // truncated
           "\x80",             // continuation without a lead
           "\xc3\x28",         // lead without a continuation
       }) {
    EXPECT_EQ(saslprep(text).error(), SaslprepError::invalid_utf8);
  }
}

TEST(Saslname, EscapesCommaAndEqualsAndBack) {
  EXPECT_EQ(escape_saslname("a,b=c"), "a=2Cb=3Dc");
  EXPECT_EQ(unescape_saslname("a=2Cb=3Dc"), "a,b=c");
  EXPECT_EQ(unescape_saslname(escape_saslname("==,,")), "==,,");
}

TEST(Saslname, RefusesBadEscapes) {
  for (const std::string_view text : {"a=", "a=2", "a=2c", "a=3d", "a=41", "a,b", "=="}) {
    EXPECT_FALSE(unescape_saslname(text)) << text;
  }
  EXPECT_FALSE(unescape_saslname(std::string_view("a\0b", 3)));
}

} // namespace
} // namespace starling::xmpp::sasl
