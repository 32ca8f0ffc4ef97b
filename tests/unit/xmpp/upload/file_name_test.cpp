// Upload file names: what is kept, what changes, what is refused; URL path segments.
#include <string>

#include <gtest/gtest.h>

#include "xmpp/upload/file_name.h"

namespace starling::xmpp::upload {
namespace {

TEST(SanitizeFileName, KeepsOrdinaryNamesAndTheirEndingIntact) {
  EXPECT_EQ(sanitize_file_name("holiday photo.jpg"), "holiday photo.jpg");
  EXPECT_EQ(sanitize_file_name("Übersicht 2026 (final).pdf"), "Übersicht 2026 (final).pdf");
  EXPECT_EQ(sanitize_file_name("日本語.txt"), "日本語.txt");
}

TEST(SanitizeFileName, ReplacesPathSeparatorsSoNoNameLeavesItsFolder) {
  EXPECT_EQ(sanitize_file_name("../../etc/passwd"), "___.._etc_passwd");
  EXPECT_EQ(sanitize_file_name("..\\windows\\system.ini"), "___windows_system.ini");
  EXPECT_EQ(sanitize_file_name("a/b.png"), "a_b.png");
}

TEST(SanitizeFileName, LeadingDotsBecomeUnderscoresSoNoFileIsHidden) {
  EXPECT_EQ(sanitize_file_name(".bashrc"), "_bashrc");
  EXPECT_EQ(sanitize_file_name("."), "_");
  EXPECT_EQ(sanitize_file_name(".."), "__");
  EXPECT_EQ(sanitize_file_name(".upload"), "_upload");
}

TEST(SanitizeFileName, ReplacesControlQuoteAndBidiOverrideCharacters) {
  EXPECT_EQ(sanitize_file_name("line\nbreak\t.txt"), "line_break_.txt");
  EXPECT_EQ(sanitize_file_name("say \"hi\".txt"), "say _hi_.txt");
  // U+202E RIGHT-TO-LEFT OVERRIDE would show "invoice\u202Efdp.exe" as "invoiceexe.pdf".
  EXPECT_EQ(sanitize_file_name("invoice\u202Efdp.exe"), "invoice_fdp.exe");
}

TEST(SanitizeFileName, TrimsSpacesAndRefusesNamesWithNothingLeft) {
  EXPECT_EQ(sanitize_file_name("  notes.txt "), "notes.txt");
  EXPECT_EQ(sanitize_file_name(""), std::nullopt);
  EXPECT_EQ(sanitize_file_name("   "), std::nullopt);
}

TEST(SanitizeFileName, RefusesInvalidUtf8AndOverlongNames) {
  EXPECT_EQ(sanitize_file_name("bad\xFF.txt"), std::nullopt);
  EXPECT_EQ(sanitize_file_name("overlong\xC0\xAF.txt"), std::nullopt);
  EXPECT_EQ(sanitize_file_name("cut\xE2\x82"), std::nullopt);
  EXPECT_EQ(sanitize_file_name(std::string(kMaxFileNameBytes, 'a')),
            std::string(kMaxFileNameBytes, 'a'));
  EXPECT_EQ(sanitize_file_name(std::string(kMaxFileNameBytes + 1, 'a')), std::nullopt);
}

TEST(PathSegment, EncodesEverythingButUnreservedCharactersAndDecodesBack) {
  EXPECT_EQ(encode_path_segment("a b/c%.jpg"), "a%20b%2Fc%25.jpg");
  EXPECT_EQ(encode_path_segment("Ü"), "%C3%9C");
  for (const std::string name : {"holiday photo.jpg", "Übersicht (1).pdf", "100%~_-.txt"}) {
    EXPECT_EQ(decode_path_segment(encode_path_segment(name)), name);
  }
}

TEST(PathSegment, DecodingRefusesBrokenEscapesSlashesAndNul) {
  EXPECT_EQ(decode_path_segment("a%2"), std::nullopt);
  EXPECT_EQ(decode_path_segment("a%zz"), std::nullopt);
  EXPECT_EQ(decode_path_segment("a%2Fb"), std::nullopt);
  EXPECT_EQ(decode_path_segment("a/b"), std::nullopt);
  EXPECT_EQ(decode_path_segment("a%00"), std::nullopt);
  EXPECT_EQ(decode_path_segment("a%20b"), "a b");
}

} // namespace
} // namespace starling::xmpp::upload
