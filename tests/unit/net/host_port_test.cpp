#include <gtest/gtest.h>

#include "net/host_port.h"

namespace starling::net {
namespace {

TEST(HostPort, TakesTheDefaultPortWhenNoneIsGiven) {
  const auto parsed = parse_host_port("ntp.example.com", 123);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->host, "ntp.example.com");
  EXPECT_EQ(parsed->port, 123);
}

TEST(HostPort, ReadsPortsAfterNamesAndBracketedIpv6) {
  EXPECT_EQ(parse_host_port("127.0.0.1:1123", 123)->port, 1123);
  const auto v6 = parse_host_port("[::1]:5353", 53);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 5353);
  EXPECT_EQ(parse_host_port("::1", 53)->host, "::1");
}

TEST(HostPort, RejectsEmptyHostsAndBadPorts) {
  EXPECT_FALSE(parse_host_port("", 53));
  EXPECT_FALSE(parse_host_port("host:0", 53));
  EXPECT_FALSE(parse_host_port("host:70000", 53));
  EXPECT_FALSE(parse_host_port("[::1", 53));
}

} // namespace
} // namespace starling::net
