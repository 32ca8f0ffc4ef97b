// Tests of the header name table.
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

TEST(HeaderNames, KnowWhichHeadersAreLists) {
  EXPECT_TRUE(is_list_header(HeaderId::via));
  EXPECT_TRUE(is_list_header(HeaderId::route));
  EXPECT_FALSE(is_list_header(HeaderId::date));
  EXPECT_FALSE(is_list_header(HeaderId::www_authenticate));
}

} // namespace
} // namespace starling::sip
