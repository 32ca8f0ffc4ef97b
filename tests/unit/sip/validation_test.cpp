// Tests of validate_request and validate_response (RFC 3261 §8.2).
#include <string>

#include <gtest/gtest.h>

#include "sip/parser.h"
#include "sip/validation.h"

namespace starling::sip {
namespace {

std::string request(std::string_view method_line, std::string_view extra = "",
                    std::string_view cseq = "1 OPTIONS") {
  return std::string{method_line} +
         "\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nTo: <sip:b@h>\r\n"
         "From: <sip:a@h>;tag=1\r\nCall-ID: c\r\nCSeq: " +
         std::string{cseq} + "\r\n" + std::string{extra} + "l: 0\r\n\r\n";
}

ParseError rejection(const std::string& bytes) {
  const auto m = parse_message(bytes);
  EXPECT_TRUE(m) << bytes;
  const auto r = validate_request(*m);
  EXPECT_FALSE(r) << bytes;
  return r ? ParseError{} : r.error();
}

TEST(RequestValidation, AcceptsAMinimalRequestAndDefaultsMaxForwardsTo70) {
  const auto m = parse_message(request("OPTIONS sip:b@h SIP/2.0"));
  const auto r = validate_request(*m);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->max_forwards, 70U);
  EXPECT_FALSE(r->has_max_forwards);
  EXPECT_EQ(r->cseq.number, 1U);
  EXPECT_EQ(r->call_id, "c");
  EXPECT_EQ(r->from.tag(), "1");
}

TEST(RequestValidation, Answers505ForOtherVersions) {
  const auto e = rejection(request("OPTIONS sip:b@h SIP/3.0"));
  EXPECT_EQ(e.status, 505);
  EXPECT_TRUE(e.can_reply);
}

TEST(RequestValidation, RejectsCSeqMethodMismatch) {
  EXPECT_EQ(rejection(request("INVITE sip:b@h SIP/2.0")).reason,
            "CSeq method does not match request method");
}

TEST(RequestValidation, RejectsMaxForwardsAbove255) {
  EXPECT_EQ(rejection(request("OPTIONS sip:b@h SIP/2.0", "Max-Forwards: 256\r\n")).reason,
            "Malformed Max-Forwards header");
}

TEST(RequestValidation, RejectsCSeqAtTwoToTheThirtyOne) {
  EXPECT_EQ(rejection(request("OPTIONS sip:b@h SIP/2.0", "", "2147483648 OPTIONS")).reason,
            "Malformed CSeq header");
}

TEST(RequestValidation, AcceptsCSeqJustBelowTwoToTheThirtyOne) {
  const auto m = parse_message(request("OPTIONS sip:b@h SIP/2.0", "", "2147483647 OPTIONS"));
  EXPECT_TRUE(validate_request(*m));
}

TEST(RequestValidation, RejectsAnyMalformedVia) {
  EXPECT_EQ(
      rejection(request("OPTIONS sip:b@h SIP/2.0", "Via: SIP/2.0/UDP ok, SIP/2.0\r\n")).reason,
      "Malformed Via header");
}

TEST(RequestValidation, RejectsMalformedContact) {
  EXPECT_EQ(rejection(request("OPTIONS sip:b@h SIP/2.0", "Contact: <sip:a@h\r\n")).reason,
            "Malformed Contact header");
}

TEST(RequestValidation, Answers416ForUnknownRequestUriScheme) {
  EXPECT_EQ(rejection(request("OPTIONS mailto:b@h SIP/2.0")).status, 416);
}

TEST(RequestValidation, AcceptsTelRequestUri) {
  const auto m = parse_message(request("OPTIONS tel:+15551234 SIP/2.0"));
  EXPECT_TRUE(validate_request(*m));
}

TEST(RequestValidation, CannotReplyWithoutVia) {
  const auto m = parse_message("OPTIONS sip:b@h SIP/2.0\r\nTo: <sip:b@h>\r\nl: 0\r\n\r\n");
  const auto r = validate_request(*m);
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().can_reply);
}

TEST(ResponseValidation, AcceptsAResponseAndNeverOffersAReply) {
  const auto ok = parse_message(
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:b@h>;tag=2\r\n"
      "From: <sip:a@h>;tag=1\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nl: 0\r\n\r\n");
  EXPECT_TRUE(validate_response(*ok));
  const auto bad = parse_message("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\nl: 0\r\n\r\n");
  const auto r = validate_response(*bad);
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().can_reply);
}

} // namespace
} // namespace starling::sip
