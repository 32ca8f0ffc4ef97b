// Tests of parse_name_addr and parse_contact.
#include <gtest/gtest.h>

#include "sip/name_addr.h"

namespace starling::sip {
namespace {

TEST(NameAddrParser, ParsesQuotedDisplayNameUriAndTag) {
  const auto a = parse_name_addr(R"("Bob \"B\"" <sip:bob@biloxi.com;transport=tcp>;tag=a6c85cf)");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->display_name_quoted);
  EXPECT_EQ(unquote(a->display_name), "Bob \"B\"");
  EXPECT_TRUE(a->bracketed);
  EXPECT_EQ(a->uri.transport(), "tcp");
  EXPECT_EQ(a->tag(), "a6c85cf");
}

TEST(NameAddrParser, ParsesTokenDisplayName) {
  const auto a = parse_name_addr("Anonymous Caller <sip:c@h>");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->display_name, "Anonymous Caller");
  EXPECT_FALSE(a->display_name_quoted);
}

TEST(NameAddrParser, TreatsParametersAfterAnAddrSpecAsHeaderParameters) {
  const auto a = parse_name_addr("sip:alice@atlanta.com;tag=88sja8x");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->bracketed);
  EXPECT_TRUE(a->uri.params.empty());
  EXPECT_EQ(a->tag(), "88sja8x");
}

TEST(NameAddrParser, RejectsHeadersInUnbracketedUri) {
  EXPECT_FALSE(parse_name_addr("sip:a@h?Route=x"));
}

TEST(NameAddrParser, RejectsUnterminatedQuote) {
  EXPECT_FALSE(parse_name_addr("\"Mr. J. User <sip:j.user@example.com>"));
}

TEST(NameAddrParser, RejectsMissingClosingBracket) {
  EXPECT_FALSE(parse_name_addr("<sip:a@h"));
}

TEST(NameAddrParser, RejectsTextAfterTheParameters) {
  EXPECT_FALSE(parse_name_addr("<sip:a@h>;tag=1 junk"));
}

TEST(ContactParser, RecognisesTheWildcard) {
  const auto c = parse_contact(" * ");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->wildcard);
}

TEST(ContactParser, ReadsExpiresAndQ) {
  const auto c = parse_contact("<sip:a@192.0.2.4>;expires=3600;q=0.7");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->expires(), 3600U);
  EXPECT_EQ(c->q(), 700);
}

TEST(ContactParser, TreatsOverlargeExpiresAsAbsent) {
  // RFC 4475 scalar02: the registrar falls back to its default.
  const auto c = parse_contact("<sip:a@h>;expires=280297596632815");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->expires().has_value());
}

TEST(ContactParser, RejectsQAboveOne) {
  EXPECT_FALSE(parse_contact("<sip:a@h>;q=1.5")->q().has_value());
}

} // namespace
} // namespace starling::sip
