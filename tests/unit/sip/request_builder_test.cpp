// Tests of RequestBuilder: the requests a UA originates must parse and validate as sent.
#include <string>

#include <gtest/gtest.h>

#include "sip/parser.h"
#include "sip/request_builder.h"
#include "sip/validation.h"

namespace starling::sip {
namespace {

RequestBuilder options_to_bob() {
  RequestBuilder request("OPTIONS", "sip:bob@192.0.2.20");
  request.add_header("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc")
      .add_header("Max-Forwards", "70")
      .add_header("From", "<sip:alice@192.0.2.1>;tag=f1")
      .add_header("To", "<sip:bob@192.0.2.20>")
      .add_header("Call-ID", "call-1")
      .add_header("CSeq", "7 OPTIONS");
  return request;
}

TEST(RequestBuilder, BuildsARequestThatParsesAndValidates) {
  const std::string bytes = options_to_bob().finish();
  const auto message = parse_message(bytes);
  ASSERT_TRUE(message) << bytes;
  const auto parsed = validate_request(*message);
  ASSERT_TRUE(parsed) << bytes;
  EXPECT_EQ(message->method(), Method::options);
  EXPECT_EQ(message->request_line().request_uri, "sip:bob@192.0.2.20");
  EXPECT_EQ(parsed->cseq.number, 7U);
  EXPECT_EQ(parsed->call_id, "call-1");
  EXPECT_EQ(parsed->from.tag(), "f1");
  EXPECT_EQ(parsed->max_forwards, 70U);
}

TEST(RequestBuilder, KeepsHeadersInTheOrderGiven) {
  const std::string bytes = options_to_bob().finish();
  const auto message = parse_message(bytes);
  ASSERT_TRUE(message);
  const auto headers = message->headers();
  ASSERT_GE(headers.size(), 6U);
  EXPECT_EQ(headers[0].id, HeaderId::via);
  EXPECT_EQ(headers[1].id, HeaderId::max_forwards);
  EXPECT_EQ(headers[2].id, HeaderId::from);
  EXPECT_EQ(headers[3].id, HeaderId::to);
  EXPECT_EQ(headers[4].id, HeaderId::call_id);
  EXPECT_EQ(headers[5].id, HeaderId::cseq);
}

TEST(RequestBuilder, EndsABodylessRequestWithContentLengthZeroAndNoContentType) {
  const std::string bytes = options_to_bob().finish();
  EXPECT_TRUE(bytes.ends_with("Content-Length: 0\r\n\r\n")) << bytes;
  EXPECT_EQ(bytes.find("Content-Type"), std::string::npos);
}

TEST(RequestBuilder, AddsSdpContentTypeAndExactLengthForABody) {
  const std::string sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n";
  const std::string bytes = options_to_bob().finish(sdp);
  const auto message = parse_message(bytes);
  ASSERT_TRUE(message) << bytes;
  EXPECT_EQ(message->value(HeaderId::content_type), "application/sdp");
  EXPECT_EQ(message->value(HeaderId::content_length), std::to_string(sdp.size()));
  EXPECT_EQ(message->body(), sdp);
}

TEST(RequestBuilder, UsesTheContentTypeGivenForOtherBodies) {
  const std::string bytes = options_to_bob().finish("Signal=5\r\n", "application/dtmf-relay");
  const auto message = parse_message(bytes);
  ASSERT_TRUE(message) << bytes;
  EXPECT_EQ(message->value(HeaderId::content_type), "application/dtmf-relay");
  EXPECT_EQ(message->body(), "Signal=5\r\n");
}

TEST(RequestBuilder, KeepsRepeatedHeadersSuchAsRoute) {
  RequestBuilder request = options_to_bob();
  request.add_header("Route", "<sip:p1.example.com;lr>")
      .add_header("Route", "<sip:p2.example.com;lr>");
  const auto message = parse_message(std::move(request).finish());
  ASSERT_TRUE(message);
  EXPECT_EQ(message->count(HeaderId::route), 2U);
  EXPECT_EQ(message->value(HeaderId::route), "<sip:p1.example.com;lr>");
}

} // namespace
} // namespace starling::sip
