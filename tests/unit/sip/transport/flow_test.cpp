// Tests of the flow helpers that every received request goes through.
#include <gtest/gtest.h>

#include "sip/transport/flow.h"

namespace starling::sip {
namespace {

using boost::asio::ip::make_address;

TEST(AddressText, WritesEveryIpv4OctetWidth) {
  for (const char* text :
       {"0.0.0.0", "127.0.0.1", "192.0.2.7", "10.99.100.255", "255.255.255.255"}) {
    EXPECT_EQ(address_text(make_address(text)), text);
  }
}

TEST(AddressText, WritesAMappedIpv4AddressAsThePeerKnowsIt) {
  EXPECT_EQ(address_text(make_address("::ffff:198.51.100.23")), "198.51.100.23");
}

TEST(AddressText, WritesIpv6InItsShortForm) {
  EXPECT_EQ(address_text(make_address("2001:db8:0:0:0:0:0:1")), "2001:db8::1");
  EXPECT_EQ(address_text(make_address("::1")), "::1");
}

} // namespace
} // namespace starling::sip
