// Tests of the proxy/UAS edits: Via stamping (RFC 3581) and first-value removal.
#include <string>

#include <gtest/gtest.h>

#include "sip/comma_list.h"
#include "sip/message_edit.h"
#include "sip/parser.h"
#include "sip/serializer.h"
#include "sip/via.h"

namespace starling::sip {
namespace {

Message parse(const std::string& vias) {
  auto m = parse_message("REGISTER sip:h SIP/2.0\r\n" + vias +
                         "Route: <sip:p1;lr>, <sip:p2;lr>\r\nl: 0\r\n\r\n");
  EXPECT_TRUE(m);
  return std::move(*m);
}

TEST(StampTopVia, AddsReceivedAndRportWhenRportWasRequested) {
  Message m = parse("Via: SIP/2.0/UDP 10.0.0.2:5060;rport;branch=z9hG4bK1\r\n");
  ASSERT_TRUE(stamp_top_via(m, "192.0.2.7", 40001));
  EXPECT_EQ(m.value(HeaderId::via),
            "SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1;received=192.0.2.7;rport=40001");
  const auto via = parse_via(m.value(HeaderId::via));
  ASSERT_TRUE(via);
  EXPECT_EQ(via->rport, 40001);
}

TEST(StampTopVia, AddsOnlyReceivedWhenHostDiffersWithoutRport) {
  Message m = parse("Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bK1\r\n");
  ASSERT_TRUE(stamp_top_via(m, "192.0.2.7", 5060));
  EXPECT_EQ(m.value(HeaderId::via),
            "SIP/2.0/UDP pc.example.com;branch=z9hG4bK1;received=192.0.2.7");
}

TEST(StampTopVia, LeavesTheViaAloneWhenTheHostIsTheSourceAddress) {
  Message m = parse("Via: SIP/2.0/UDP 192.0.2.7;branch=z9hG4bK1\r\n");
  ASSERT_TRUE(stamp_top_via(m, "192.0.2.7", 5060));
  EXPECT_FALSE(m.is_modified());
}

TEST(StampTopVia, EditsOnlyTheFirstValueOfAMultiValueLine) {
  Message m = parse(
      "v: SIP/2.0/UDP a.example.com;rport;branch=z9hG4bK1 , SIP/2.0/TCP b;branch=z9hG4bK2\r\n");
  ASSERT_TRUE(stamp_top_via(m, "192.0.2.7", 1234));
  std::vector<std::string_view> vias;
  for (std::string_view v : CommaList{m.value(HeaderId::via)}) {
    vias.push_back(v);
  }
  ASSERT_EQ(vias.size(), 2U);
  EXPECT_EQ(parse_via(vias[0])->received, "192.0.2.7");
  EXPECT_EQ(parse_via(vias[1])->branch, "z9hG4bK2");
}

TEST(StampTopVia, WritesIpv6ReceivedAsReference) {
  Message m = parse("Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n");
  ASSERT_TRUE(stamp_top_via(m, "2001:db8::7", 5060));
  EXPECT_EQ(parse_via(m.value(HeaderId::via))->received, "[2001:db8::7]");
}

TEST(StampTopVia, UsesTheViaValidationParsed) {
  Message m = parse("v: SIP/2.0/UDP a.example.com;received=192.0.2.1;rport=9;branch=z9hG4bK1, "
                    "SIP/2.0/TCP b;branch=z9hG4bK2\r\n");
  const auto top = parse_via(CommaList{m.value(HeaderId::via)}.front());
  ASSERT_TRUE(top);
  stamp_top_via(m, *top, "192.0.2.7", 1234);
  EXPECT_EQ(m.value(HeaderId::via),
            "SIP/2.0/UDP a.example.com;branch=z9hG4bK1;received=192.0.2.7;rport=1234, "
            "SIP/2.0/TCP b;branch=z9hG4bK2");
}

TEST(PrependValue, PutsTheNewViaOnTop) {
  Message m = parse("Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\n");
  prepend_value(m, HeaderId::via, "SIP/2.0/UDP proxy;branch=z9hG4bKp");
  EXPECT_EQ(parse_via(m.value(HeaderId::via))->host, "proxy");
  EXPECT_EQ(m.count(HeaderId::via), 2U);
}

TEST(RemoveFirstValue, StripsOneRouteAndKeepsTheRest) {
  Message m = parse("Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\n");
  ASSERT_TRUE(remove_first_value(m, HeaderId::route));
  EXPECT_EQ(m.value(HeaderId::route), "<sip:p2;lr>");
  ASSERT_TRUE(remove_first_value(m, HeaderId::route));
  EXPECT_EQ(m.find(HeaderId::route), nullptr);
  EXPECT_FALSE(remove_first_value(m, HeaderId::route));
  EXPECT_TRUE(parse_message(serialize(m)));
}

} // namespace
} // namespace starling::sip
