// Tests of parse_message: start lines, header lines, folding, Content-Length and limits.
#include <string>

#include <gtest/gtest.h>

#include "sip/limits.h"
#include "sip/parser.h"

namespace starling::sip {
namespace {

const std::string kOptions = "OPTIONS sip:bob@example.com SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
                             "To: <sip:bob@example.com>\r\n"
                             "From: <sip:alice@example.com>;tag=1\r\n"
                             "Call-ID: c1\r\n"
                             "CSeq: 1 OPTIONS\r\n"
                             "Content-Length: 0\r\n"
                             "\r\n";

TEST(MessageParser, SplitsRequestLineIntoMethodUriAndVersion) {
  const auto m = parse_message(kOptions);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->is_request());
  EXPECT_EQ(m->method(), Method::options);
  EXPECT_EQ(m->request_line().request_uri, "sip:bob@example.com");
  EXPECT_EQ(m->version(), "SIP/2.0");
  EXPECT_EQ(m->headers().size(), 6U);
}

TEST(MessageParser, ParsesStatusLineWithReasonPhrase) {
  const auto m = parse_message("SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->is_response());
  EXPECT_EQ(m->status_code(), 486);
  EXPECT_EQ(m->status_line().reason, "Busy Here");
}

TEST(MessageParser, MapsCompactAndMixedCaseNamesToTheSameId) {
  const auto m =
      parse_message("OPTIONS sip:b@example.com SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                    "VIA: SIP/2.0/UDP g;branch=z9hG4bK2\r\ni: x\r\nl: 0\r\n\r\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->count(HeaderId::via), 2U);
  EXPECT_EQ(m->value(HeaderId::call_id), "x");
  EXPECT_EQ(m->headers()[0].name, "v");
}

TEST(MessageParser, KeepsFoldedValuesAsOneHeader) {
  const auto m = parse_message("OPTIONS sip:b@h SIP/2.0\r\nSubject: one\r\n  two\r\nl: 0\r\n\r\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value(HeaderId::subject), "one\r\n  two");
}

TEST(MessageParser, KeepsUnknownHeadersByName) {
  const auto m = parse_message("OPTIONS sip:b@h SIP/2.0\r\nX-Thing : a b \r\nl: 0\r\n\r\n");
  ASSERT_TRUE(m);
  ASSERT_NE(m->find("x-thing"), nullptr);
  EXPECT_EQ(m->find("x-thing")->value, "a b");
  EXPECT_EQ(m->find("x-thing")->id, HeaderId::unknown);
}

TEST(MessageParser, IgnoresCrlfBeforeTheStartLine) {
  const auto m = parse_message("\r\n\r\n" + kOptions);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->wire_bytes(), kOptions);
}

TEST(MessageParser, DatagramWithoutContentLengthTakesBodyToTheEnd) {
  const auto m = parse_message("MESSAGE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n\r\nhello");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->body(), "hello");
}

TEST(MessageParser, StreamRequiresContentLength) {
  const auto m =
      parse_message("MESSAGE sip:b@h SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\nhi", Framing::stream);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().reason, "Missing Content-Length");
}

TEST(MessageParser, StreamStopsAtContentLengthAndLeavesTheNextMessage) {
  const std::string two = "MESSAGE sip:b@h SIP/2.0\r\nl: 2\r\n\r\nhiOPTIONS sip:b@h SIP/2.0\r\n";
  const auto m = parse_message(two, Framing::stream);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->body(), "hi");
  EXPECT_EQ(m->wire_bytes().size(), two.find("OPTIONS"));
}

TEST(MessageParser, RejectsContentLengthBeyondTheDatagram) {
  const auto m = parse_message("MESSAGE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nl: 10\r\n\r\nhi");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().status, 400);
  EXPECT_EQ(m.error().reason, "Content-Length larger than datagram");
  EXPECT_TRUE(m.error().can_reply);
}

TEST(MessageParser, RejectsHeaderLineWithoutColon) {
  const auto m = parse_message("OPTIONS sip:b@h SIP/2.0\r\nVia SIP/2.0/UDP h\r\n\r\n");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().reason, "Malformed header line");
}

TEST(MessageParser, RejectsBareLineFeedInHeaders) {
  const auto m = parse_message("OPTIONS sip:b@h SIP/2.0\r\nVia: a\nb\r\n\r\n");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().reason, "Bare LF in header");
}

TEST(MessageParser, NamesWhicheverOfALoneCrOrLfComesFirst) {
  const auto reason = [](std::string_view headers) {
    const auto m = parse_message("OPTIONS sip:b@h SIP/2.0\r\n" + std::string(headers));
    return m ? std::string("parsed") : std::string(m.error().reason);
  };
  EXPECT_EQ(reason("Via: a\rb\r\n\r\n"), "Bare CR in header");
  EXPECT_EQ(reason("Via: a\rb\nc\r\n\r\n"), "Bare CR in header");
  EXPECT_EQ(reason("Via: a\nb\rc\r\n\r\n"), "Bare LF in header");
  EXPECT_EQ(reason("Via: a\r\n b\n\r\n"), "Bare LF in header"); // in a folded line
  EXPECT_EQ(reason("Via: a\r"), "Bare CR in header");
  EXPECT_EQ(reason("Via: a"), "Header line without CRLF");
  EXPECT_EQ(reason("\nVia: a\r\n\r\n"), "Bare LF in header");
}

TEST(MessageParser, RejectsFourDigitStatusCodeAndMarksItDiscard) {
  const auto m = parse_message("SIP/2.0 2000 OK\r\nl: 0\r\n\r\n");
  ASSERT_FALSE(m);
  EXPECT_FALSE(m.error().can_reply);
}

TEST(MessageParser, RejectsMessagesAboveTheSizeLimit) {
  std::string big = kOptions;
  big.append(kMaxMessageSize, 'x');
  const auto m = parse_message(big);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().status, 513);
}

TEST(MessageParser, RejectsMoreHeadersThanTheLimit) {
  std::string many = "OPTIONS sip:b@h SIP/2.0\r\n";
  for (std::size_t i = 0; i <= kMaxHeaderCount; ++i) {
    many += "X-A: 1\r\n";
  }
  many += "\r\n";
  const auto m = parse_message(many);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().reason, "Too many header fields");
}

TEST(MessageParser, RejectsLinesLongerThanTheLimit) {
  const std::string msg =
      "OPTIONS sip:b@h SIP/2.0\r\nX-A: " + std::string(kMaxLineLength, 'a') + "\r\n\r\n";
  const auto m = parse_message(msg);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().reason, "Header line too long");
}

TEST(MessageParser, ViewsStayValidAfterTheMessageIsMoved) {
  auto parsed = parse_message(kOptions);
  ASSERT_TRUE(parsed);
  Message moved = std::move(*parsed);
  std::vector<Message> several;
  several.push_back(std::move(moved));
  several.reserve(16); // reallocation moves the Message again
  EXPECT_EQ(several[0].value(HeaderId::call_id), "c1");
  EXPECT_EQ(several[0].request_line().request_uri, "sip:bob@example.com");
}

TEST(MessageParser, CanReplyOnlyToRequestsWithAVia) {
  EXPECT_TRUE(can_reply_to("BAD LINE\r\nVia: SIP/2.0/UDP h\r\n\r\n"));
  EXPECT_FALSE(can_reply_to("BAD LINE\r\nTo: x\r\n\r\n"));
  EXPECT_FALSE(can_reply_to("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\n\r\n"));
}

} // namespace
} // namespace starling::sip
