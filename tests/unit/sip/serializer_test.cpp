// Tests of serialize: byte-exact round trips and edited messages.
#include <gtest/gtest.h>

#include "sip/parser.h"
#include "sip/serializer.h"

namespace starling::sip {
namespace {

const std::string kInvite = "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
                            "v: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
                            "Max-Forwards:70\r\n"
                            "To: Bob <sip:bob@biloxi.com>\r\n"
                            "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
                            "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
                            "Subject: folded\r\n\tline\r\n"
                            "CSeq: 314159 INVITE\r\n"
                            "Content-Length: 4\r\n"
                            "\r\n"
                            "v=0\n";

TEST(Serializer, WritesAnUneditedMessageByteForByte) {
  const auto m = parse_message(kInvite);
  ASSERT_TRUE(m);
  EXPECT_EQ(serialize(*m), kInvite);
  EXPECT_EQ(serialized_size(*m), kInvite.size());
}

TEST(Serializer, WritesInsertedHeaderInLongForm) {
  auto m = parse_message(kInvite);
  ASSERT_TRUE(m);
  m->insert_header(0, HeaderId::via, "SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1");
  const std::string out = serialize(*m);
  EXPECT_TRUE(out.starts_with("INVITE sip:bob@biloxi.com SIP/2.0\r\n"
                              "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1\r\n"
                              "v: SIP/2.0/UDP pc33.atlanta.com"));
  EXPECT_EQ(out.size(),
            kInvite.size() +
                std::string_view{"Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1\r\n"}.size());
}

TEST(Serializer, LeavesUnchangedLinesAloneWhenOneIsReplaced) {
  auto m = parse_message(kInvite);
  ASSERT_TRUE(m);
  m->set_header_value(1, "69");
  std::string expected = kInvite;
  expected.replace(expected.find("Max-Forwards:70"), 15, "Max-Forwards: 69");
  EXPECT_EQ(serialize(*m), expected);
}

TEST(Serializer, DropsErasedHeader) {
  auto m = parse_message(kInvite);
  ASSERT_TRUE(m);
  m->erase_header(5); // Subject with its fold
  std::string expected = kInvite;
  const std::size_t subject = expected.find("Subject:");
  expected.erase(subject, expected.find("CSeq:") - subject);
  EXPECT_EQ(serialize(*m), expected);
}

TEST(Serializer, RewritesContentLengthWithANewBody) {
  auto m = parse_message(kInvite);
  ASSERT_TRUE(m);
  m->set_body("hello");
  const auto again = parse_message(serialize(*m));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body(), "hello");
  EXPECT_EQ(again->value(HeaderId::content_length), "5");
}

TEST(Serializer, RewritesTheRequestUri) {
  auto m = parse_message(kInvite);
  ASSERT_TRUE(m);
  m->set_request_uri("sip:bob@192.0.2.4:5062");
  EXPECT_TRUE(serialize(*m).starts_with("INVITE sip:bob@192.0.2.4:5062 SIP/2.0\r\nv: "));
  EXPECT_EQ(m->request_line().request_uri, "sip:bob@192.0.2.4:5062");
}

TEST(Serializer, EditedMessageSurvivesAMove) {
  auto m = parse_message(kInvite);
  ASSERT_TRUE(m);
  m->insert_header(0, "X-Short", "a"); // short enough for a small-string buffer
  Message moved = std::move(*m);
  EXPECT_EQ(moved.headers()[0].value, "a");
  EXPECT_TRUE(serialize(moved).find("X-Short: a\r\n") != std::string::npos);
}

} // namespace
} // namespace starling::sip
