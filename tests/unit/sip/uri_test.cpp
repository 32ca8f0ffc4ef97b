// Tests of parse_uri, uri_equivalent and unescape (RFC 3261 §19.1).
#include <gtest/gtest.h>

#include "sip/uri.h"

namespace starling::sip {
namespace {

TEST(UriParser, ParsesEveryPartOfASipUri) {
  const auto uri = parse_uri("sip:alice:secret@atlanta.com:5060;transport=tcp;lr?subject=x&h=y");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->scheme, UriScheme::sip);
  EXPECT_EQ(uri->user, "alice");
  EXPECT_EQ(uri->password, "secret");
  EXPECT_EQ(uri->host, "atlanta.com");
  EXPECT_EQ(uri->port, 5060);
  EXPECT_EQ(uri->transport(), "tcp");
  EXPECT_TRUE(uri->loose_route());
  EXPECT_EQ(uri->headers.value_of("subject"), "x");
  EXPECT_EQ(uri->headers.value_of("h"), "y");
}

TEST(UriParser, ParsesIpv6ReferenceWithPort) {
  const auto uri = parse_uri("sips:[2001:db8::10]:5061");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->scheme, UriScheme::sips);
  EXPECT_EQ(uri->host, "[2001:db8::10]");
  EXPECT_EQ(host_address(uri->host), "2001:db8::10");
  EXPECT_EQ(uri->host_type, HostType::ipv6);
  EXPECT_EQ(uri->port, 5061);
}

TEST(UriParser, AcceptsUppercaseScheme) {
  EXPECT_EQ(parse_uri("SIP:a@b.example")->scheme, UriScheme::sip);
}

TEST(UriParser, ParsesTelUriNumberAndParameters) {
  const auto uri = parse_uri("tel:+1-201-555-0123;phone-context=example.com");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->scheme, UriScheme::tel);
  EXPECT_EQ(uri->user, "+1-201-555-0123");
  EXPECT_EQ(uri->params.value_of("phone-context"), "example.com");
}

TEST(UriParser, KeepsUnknownSchemesOpaque) {
  const auto uri = parse_uri("urn:service:sos");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->scheme, UriScheme::other);
  EXPECT_EQ(uri->opaque, "service:sos");
}

TEST(UriParser, RejectsBrokenEscapes) {
  EXPECT_FALSE(parse_uri("sip:a%4@example.com"));
  EXPECT_FALSE(parse_uri("sip:a%zz@example.com"));
}

TEST(UriParser, RejectsBadHostsAndPorts) {
  EXPECT_FALSE(parse_uri("sip:a@"));
  EXPECT_FALSE(parse_uri("sip:a@256.1.1.1"));
  EXPECT_FALSE(parse_uri("sip:a@[2001:db8::1"));
  EXPECT_FALSE(parse_uri("sip:a@h:70000"));
  EXPECT_FALSE(parse_uri("sip:a@h:"));
  EXPECT_FALSE(parse_uri("sip:a b@h"));
}

TEST(UriParser, RejectsRepeatedParameters) {
  EXPECT_FALSE(parse_uri("sip:a@h;transport=udp;transport=tcp"));
}

TEST(UriParser, AllowsAmpersandInsideParameterValues) {
  const auto uri = parse_uri("sip:a@h;x=1&2;y");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->params.value_of("x"), "1&2");
  EXPECT_TRUE(uri->params.contains("y"));
}

// The examples of RFC 3261 §19.1.4.
TEST(UriEquivalence, FollowsTheRfc3261Examples) {
  const auto eq = [](std::string_view a, std::string_view b) {
    return uri_equivalent(*parse_uri(a), *parse_uri(b));
  };
  EXPECT_TRUE(eq("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
  EXPECT_TRUE(eq("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(eq("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(eq("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                 "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
  EXPECT_TRUE(eq("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                 "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
  EXPECT_FALSE(eq("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
  EXPECT_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
  EXPECT_TRUE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp")); // one-sided
  EXPECT_FALSE(eq("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"));
  EXPECT_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com;maddr=239.255.255.1"));
  EXPECT_FALSE(eq("sip:alice@atlanta.com", "sips:alice@atlanta.com"));
  EXPECT_FALSE(eq("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
}

TEST(UriEquivalence, DoesNotUnescapeReservedCharacters) {
  EXPECT_FALSE(uri_equivalent(*parse_uri("sip:a%3Ab@h"), *parse_uri("sip:a:b@h")));
}

TEST(UriEquivalence, ComparesTelNumbersWithoutVisualSeparators) {
  EXPECT_TRUE(uri_equivalent(*parse_uri("tel:+1-201-555-0123"), *parse_uri("tel:+12015550123")));
}

TEST(Unescape, DecodesPercentEscapes) {
  EXPECT_EQ(unescape("I%20have%20spaces"), "I have spaces");
  EXPECT_EQ(unescape("100%"), "100%");
}

} // namespace
} // namespace starling::sip
