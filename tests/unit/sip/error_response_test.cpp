// Tests of the stateless error reply builder (RFC 3261 §8.2.6).
#include <gtest/gtest.h>

#include "sip/error_response.h"
#include "sip/parser.h"
#include "sip/validation.h"

namespace starling::sip {
namespace {

TEST(ErrorResponse, CopiesViasFromToCallIdCSeqAndAddsToTag) {
  const std::string bytes =
      "INVITE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nv: SIP/2.0/UDP b\r\n"
      "To: <sip:b@h>\r\nFrom: <sip:a@h>;tag=9\r\nCall-ID: c7\r\nCSeq: 4 OPTIONS\r\n"
      "Subject: not copied\r\nl: 0\r\n\r\n";
  const auto m = parse_message(bytes);
  const auto r = validate_request(*m);
  ASSERT_FALSE(r);
  EXPECT_EQ(build_error_response(*m, r.error(), "x1"),
            "SIP/2.0 400 CSeq method does not match request method\r\n"
            "Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\nv: SIP/2.0/UDP b\r\n"
            "From: <sip:a@h>;tag=9\r\nTo: <sip:b@h>;tag=x1\r\nCall-ID: c7\r\n"
            "CSeq: 4 OPTIONS\r\nContent-Length: 0\r\n\r\n");
}

TEST(ErrorResponse, KeepsAnExistingToTag) {
  const std::string bytes =
      "BYE  sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP a\r\nTo: <sip:b@h>;tag=7\r\nl: 0\r\n\r\n";
  const auto m = parse_message(bytes);
  ASSERT_FALSE(m);
  const auto reply = build_error_response(bytes, m.error(), "x1");
  ASSERT_TRUE(reply);
  EXPECT_EQ(*reply,
            "SIP/2.0 400 Malformed Request-Line\r\nVia: SIP/2.0/UDP a\r\nTo: <sip:b@h>;tag=7\r\n"
            "Content-Length: 0\r\n\r\n");
  EXPECT_TRUE(parse_message(*reply));
}

TEST(ErrorResponse, GivesNothingForResponses) {
  const std::string bytes = "SIP/2.0 2000 OK\r\nVia: SIP/2.0/UDP a\r\n\r\n";
  const auto m = parse_message(bytes);
  ASSERT_FALSE(m);
  EXPECT_FALSE(build_error_response(bytes, m.error(), "x1"));
}

} // namespace
} // namespace starling::sip
