// Tests of host classification.
#include <gtest/gtest.h>

#include "sip/host.h"

namespace starling::sip {
namespace {

TEST(Host, ClassifiesHostnamesAndAddresses) {
  EXPECT_EQ(classify_host("example.com"), HostType::hostname);
  EXPECT_EQ(classify_host("example.com."), HostType::hostname);
  EXPECT_EQ(classify_host("192.0.2.1"), HostType::ipv4);
  EXPECT_EQ(classify_host("[::1]"), HostType::ipv6);
  EXPECT_EQ(classify_host("[2001:db8::192.0.2.1]"), HostType::ipv6);
}

TEST(Host, RejectsMalformedHosts) {
  EXPECT_FALSE(classify_host(""));
  EXPECT_FALSE(classify_host("a..b"));
  EXPECT_FALSE(classify_host("-a.com"));
  EXPECT_FALSE(classify_host("1.2.3"));
  EXPECT_FALSE(classify_host("1.2.3.256"));
  EXPECT_FALSE(classify_host("[1:2:3]"));
  EXPECT_FALSE(classify_host("[1::2::3]"));
  EXPECT_FALSE(classify_host("[12345::]"));
}

TEST(Host, AcceptsFullAndCompressedIpv6) {
  EXPECT_TRUE(is_ipv6_address("2001:db8:0:0:0:0:0:1"));
  EXPECT_TRUE(is_ipv6_address("::"));
  EXPECT_TRUE(is_ipv6_address("fe80::"));
  EXPECT_FALSE(is_ipv6_address("2001:db8:0:0:0:0:0:1:2"));
  EXPECT_FALSE(is_ipv6_address("2001:db8:"));
}

} // namespace
} // namespace starling::sip
