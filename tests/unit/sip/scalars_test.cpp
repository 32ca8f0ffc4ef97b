// Tests of the numeric header parsers.
#include <gtest/gtest.h>

#include "sip/scalars.h"

namespace starling::sip {
namespace {

TEST(CSeqParser, ReadsNumberAndMethodAcrossAFold) {
  const auto c = parse_cseq("0009\r\n  INVITE");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->number, 9U);
  EXPECT_EQ(c->method, "INVITE");
  EXPECT_EQ(c->method_id, Method::invite);
}

TEST(CSeqParser, RejectsMissingMethodAndNegativeNumbers) {
  EXPECT_FALSE(parse_cseq("1"));
  EXPECT_FALSE(parse_cseq("-1 INVITE"));
  EXPECT_FALSE(parse_cseq("1 INVITE extra"));
}

TEST(ScalarParsers, AcceptLeadingZerosAndRejectOverflow) {
  EXPECT_EQ(parse_max_forwards("0068"), 68U);
  EXPECT_FALSE(parse_max_forwards("300"));
  EXPECT_EQ(parse_delta_seconds("4294967295"), 4294967295U);
  EXPECT_FALSE(parse_delta_seconds("4294967296"));
  EXPECT_FALSE(parse_delta_seconds(std::string(100, '9')));
  EXPECT_FALSE(parse_content_length("-999"));
  EXPECT_EQ(parse_content_length(" 150 "), 150U);
}

} // namespace
} // namespace starling::sip
