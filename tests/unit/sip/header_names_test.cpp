// Tests of the header name table.
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "sip/header_names.h"

namespace starling::sip {
namespace {

TEST(HeaderNames, MapCompactFormsToTheirHeaders) {
  EXPECT_EQ(header_id("i"), HeaderId::call_id);
  EXPECT_EQ(header_id("M"), HeaderId::contact);
  EXPECT_EQ(header_id("e"), HeaderId::content_encoding);
  EXPECT_EQ(header_id("l"), HeaderId::content_length);
  EXPECT_EQ(header_id("c"), HeaderId::content_type);
  EXPECT_EQ(header_id("f"), HeaderId::from);
  EXPECT_EQ(header_id("s"), HeaderId::subject);
  EXPECT_EQ(header_id("k"), HeaderId::supported);
  EXPECT_EQ(header_id("t"), HeaderId::to);
  EXPECT_EQ(header_id("v"), HeaderId::via);
  EXPECT_EQ(header_id("o"), HeaderId::event);
  EXPECT_EQ(header_id("u"), HeaderId::allow_events);
  EXPECT_EQ(header_id("r"), HeaderId::refer_to);
  EXPECT_EQ(header_id("b"), HeaderId::referred_by);
  EXPECT_EQ(header_id("x"), HeaderId::session_expires);
  EXPECT_EQ(header_id("z"), HeaderId::unknown);
}

TEST(HeaderNames, IgnoreLetterCaseOfLongNames) {
  EXPECT_EQ(header_id("www-authenticate"), HeaderId::www_authenticate);
  EXPECT_EQ(header_id("P-ASSERTED-IDENTITY"), HeaderId::p_asserted_identity);
  EXPECT_EQ(header_id("Min-SE"), HeaderId::min_se);
  EXPECT_EQ(header_id("X-Unknown"), HeaderId::unknown);
}

TEST(HeaderNames, WriteLongFormsWithRfcCapitalisation) {
  EXPECT_EQ(header_name(HeaderId::call_id), "Call-ID");
  EXPECT_EQ(header_name(HeaderId::cseq), "CSeq");
  EXPECT_EQ(header_name(HeaderId::www_authenticate), "WWW-Authenticate");
}

TEST(HeaderNames, FindEveryLongNameTheyWrite) {
  for (auto raw = std::to_underlying(HeaderId::accept);
       raw <= std::to_underlying(HeaderId::www_authenticate); ++raw) {
    const auto id = static_cast<HeaderId>(raw);
    const std::string_view name = header_name(id);
    ASSERT_FALSE(name.empty()) << int{raw};
    EXPECT_EQ(header_id(name), id) << name;
  }
  EXPECT_EQ(header_name(HeaderId::unknown), "");
}

TEST(HeaderNames, LeaveNamesOutsideTheTableUnknown) {
  EXPECT_EQ(header_id("Viaa"), HeaderId::unknown);
  EXPECT_EQ(header_id("-Via"), HeaderId::unknown);
  EXPECT_EQ(header_id("~x"), HeaderId::unknown);
  EXPECT_EQ(header_id("\xc3\xa9t\xc3\xa9"), HeaderId::unknown);
  EXPECT_EQ(header_id("Quux"), HeaderId::unknown); // a letter with no names at all
}

TEST(HeaderNames, KnowWhichHeadersAreLists) {
  EXPECT_TRUE(is_list_header(HeaderId::via));
  EXPECT_TRUE(is_list_header(HeaderId::route));
  EXPECT_FALSE(is_list_header(HeaderId::date));
  EXPECT_FALSE(is_list_header(HeaderId::www_authenticate));
}

} // namespace
} // namespace starling::sip
