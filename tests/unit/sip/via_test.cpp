// Tests of parse_via (RFC 3261 §20.42, RFC 3581).
#include <gtest/gtest.h>

#include "sip/via.h"

namespace starling::sip {
namespace {

TEST(ViaParser, ParsesProtocolSentByAndKnownParameters) {
  const auto via =
      parse_via("SIP/2.0/TCP client.example.com:5070;branch=z9hG4bK74bf9;received=192.0.2.4;"
                "rport=5071;maddr=239.255.255.1;ttl=16;x=y");
  ASSERT_TRUE(via);
  EXPECT_EQ(via->protocol_name, "SIP");
  EXPECT_EQ(via->protocol_version, "2.0");
  EXPECT_EQ(via->transport, Transport::tcp);
  EXPECT_EQ(via->host, "client.example.com");
  EXPECT_EQ(via->port, 5070);
  EXPECT_EQ(via->branch, "z9hG4bK74bf9");
  EXPECT_TRUE(via->has_rfc3261_branch());
  EXPECT_EQ(via->received, "192.0.2.4");
  EXPECT_TRUE(via->has_rport);
  EXPECT_EQ(via->rport, 5071);
  EXPECT_EQ(via->maddr, "239.255.255.1");
  EXPECT_EQ(via->ttl, 16);
  EXPECT_EQ(via->params.value_of("x"), "y");
}

TEST(ViaParser, AcceptsRportWithoutValue) {
  const auto via = parse_via("SIP/2.0/UDP 192.0.2.1;rport;branch=z9hG4bKx");
  ASSERT_TRUE(via);
  EXPECT_TRUE(via->has_rport);
  EXPECT_FALSE(via->rport.has_value());
}

TEST(ViaParser, AcceptsIpv6SentByAndReceived) {
  const auto via =
      parse_via("SIP/2.0/UDP [2001:db8::9:1]:5060;received=2001:db8::9:255;branch=z9hG4bKa");
  ASSERT_TRUE(via);
  EXPECT_EQ(via->host_type, HostType::ipv6);
  EXPECT_EQ(via->received, "2001:db8::9:255");
}

TEST(ViaParser, AcceptsLinearWhiteSpaceAroundSeparators) {
  const auto via = parse_via("SIP / 2.0 / UDP  host.example.com : 5060 ;\r\n branch = z9hG4bK1");
  ASSERT_TRUE(via);
  EXPECT_EQ(via->port, 5060);
  EXPECT_EQ(via->branch, "z9hG4bK1");
}

TEST(ViaParser, AcceptsMissingBranchFromRfc2543Peers) {
  const auto via = parse_via("SIP/2.0/UDP iftgw.example.com");
  ASSERT_TRUE(via);
  EXPECT_TRUE(via->branch.empty());
  EXPECT_FALSE(via->has_rfc3261_branch());
}

TEST(ViaParser, RejectsEmptyParameters) {
  EXPECT_FALSE(parse_via("SIP/2.0/UDP h;;branch=z9hG4bK1"));
}
TEST(ViaParser, RejectsMissingSentBy) {
  EXPECT_FALSE(parse_via("SIP/2.0/UDP"));
}
TEST(ViaParser, RejectsReceivedThatIsNotAnAddress) {
  EXPECT_FALSE(parse_via("SIP/2.0/UDP h;received=example.com"));
}
TEST(ViaParser, RejectsRportOutOfRange) {
  EXPECT_FALSE(parse_via("SIP/2.0/UDP h;rport=65536"));
}
TEST(ViaParser, RejectsBranchWithoutValue) {
  EXPECT_FALSE(parse_via("SIP/2.0/UDP h;branch"));
}
TEST(ViaParser, RejectsTwoValuesInOneCall) {
  EXPECT_FALSE(parse_via("SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b"));
}

TEST(ViaParser, MapsTransportNamesCaseInsensitively) {
  EXPECT_EQ(transport_from_name("udp"), Transport::udp);
  EXPECT_EQ(transport_from_name("WSS"), Transport::wss);
  EXPECT_EQ(transport_from_name("QUIC"), Transport::other);
}

} // namespace
} // namespace starling::sip
