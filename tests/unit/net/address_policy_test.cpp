#include <stdexcept>
#include <utility>

#include <gtest/gtest.h>

#include "core/config.h"
#include "net/address_policy.h"

namespace starling::net {
namespace {

namespace ip = boost::asio::ip;

const ip::address kLocal = ip::make_address("192.168.1.10");
const ip::address kPublic = ip::make_address("203.0.113.7");

AddressPolicy default_policy(std::optional<ip::address> public_address = kPublic) {
  return {core::Config{}.network.local_networks, kLocal, std::move(public_address)};
}

TEST(AddressPolicy, GivesLocalPeersTheLocalAddressAndOthersThePublicOne) {
  const auto policy = default_policy();
  EXPECT_EQ(policy.advertised_address(ip::make_address("192.168.1.77")), kLocal);
  EXPECT_EQ(policy.advertised_address(ip::make_address("10.20.30.40")), kLocal);
  EXPECT_EQ(policy.advertised_address(ip::make_address("172.31.255.255")), kLocal);
  EXPECT_EQ(policy.advertised_address(ip::make_address("198.51.100.20")), kPublic);
  EXPECT_EQ(policy.advertised_address(ip::make_address("172.32.0.1")), kPublic);
  EXPECT_EQ(policy.advertised_address(ip::make_address("2001:db8::1")), kPublic);
}

TEST(AddressPolicy, GivesEveryoneTheLocalAddressWhileNoPublicAddressIsKnown) {
  const auto policy = default_policy(std::nullopt);
  EXPECT_EQ(policy.advertised_address(ip::make_address("198.51.100.20")), kLocal);
  EXPECT_FALSE(policy.public_address());
}

TEST(AddressPolicy, UsesAPublicAddressLearnedLater) {
  auto policy = default_policy(std::nullopt);
  policy.set_public_address(kPublic);
  EXPECT_EQ(policy.advertised_address(ip::make_address("198.51.100.20")), kPublic);
  EXPECT_EQ(policy.advertised_address(ip::make_address("192.168.1.77")), kLocal);
  policy.set_public_address(ip::make_address("203.0.113.99"));
  EXPECT_EQ(policy.public_address(), ip::make_address("203.0.113.99"));
}

TEST(AddressPolicy, GivesLocalPeersTheAddressOfTheFlowTheyUse) {
  const AddressPolicy policy(core::Config{}.network.local_networks, ip::make_address("::"),
                             kPublic);
  const auto flow_local = ip::make_address("10.0.0.5");
  EXPECT_EQ(policy.advertised_address(ip::make_address("10.0.0.9"), flow_local), flow_local);
  EXPECT_EQ(policy.advertised_address(ip::make_address("198.51.100.20"), flow_local), kPublic);
}

TEST(AddressPolicy, TreatsIpv4MappedPeersAsTheirIpv4Address) {
  const auto policy = default_policy();
  EXPECT_TRUE(policy.is_local(ip::make_address("::ffff:192.168.1.77")));
  EXPECT_TRUE(policy.is_local(ip::make_address("::ffff:127.0.0.1")));
  EXPECT_FALSE(policy.is_local(ip::make_address("::ffff:198.51.100.20")));
  EXPECT_EQ(policy.advertised_address(ip::make_address("::ffff:198.51.100.20")), kPublic);
}

TEST(AddressPolicy, MatchesIpv6NetworksAndLoopback) {
  const auto policy = default_policy();
  EXPECT_TRUE(policy.is_local(ip::make_address("::1")));
  EXPECT_TRUE(policy.is_local(ip::make_address("fd12:3456::1")));
  EXPECT_TRUE(policy.is_local(ip::make_address("fe80::1")));
  EXPECT_FALSE(policy.is_local(ip::make_address("::2")));
  EXPECT_FALSE(policy.is_local(ip::make_address("2001:db8::1")));
  EXPECT_TRUE(policy.is_local(ip::make_address("100.64.0.1"))); // carrier-grade NAT
  EXPECT_FALSE(policy.is_local(ip::make_address("100.128.0.1")));
}

TEST(AddressPolicy, ComparesPrefixesThatEndInsideAnOctet) {
  const AddressPolicy policy({"10.1.2.3/23", "2001:db8:ab00::/41"}, kLocal, kPublic);
  EXPECT_TRUE(policy.is_local(ip::make_address("10.1.2.200")));
  EXPECT_TRUE(policy.is_local(ip::make_address("10.1.3.1")));
  EXPECT_FALSE(policy.is_local(ip::make_address("10.1.4.1")));
  EXPECT_FALSE(policy.is_local(ip::make_address("10.1.1.255")));
  EXPECT_TRUE(policy.is_local(ip::make_address("2001:db8:ab7f::1")));
  EXPECT_FALSE(policy.is_local(ip::make_address("2001:db8:ab80::1")));
}

TEST(AddressPolicy, NoLocalNetworksMakesEveryPeerRemote) {
  const AddressPolicy policy({}, kLocal, kPublic);
  EXPECT_FALSE(policy.is_local(ip::make_address("127.0.0.1")));
  EXPECT_EQ(policy.advertised_address(ip::make_address("192.168.1.77")), kPublic);
}

TEST(AddressPolicy, ZeroPrefixCoversItsWholeFamilyOnly) {
  const AddressPolicy policy({"0.0.0.0/0"}, kLocal, kPublic);
  EXPECT_TRUE(policy.is_local(ip::make_address("198.51.100.20")));
  EXPECT_TRUE(policy.is_local(ip::make_address("::ffff:198.51.100.20")));
  EXPECT_FALSE(policy.is_local(ip::make_address("2001:db8::1")));
}

TEST(AddressPolicy, AcceptsIpv4MappedNetworks) {
  const AddressPolicy policy({"::ffff:10.0.0.0/104"}, kLocal, kPublic);
  EXPECT_TRUE(policy.is_local(ip::make_address("10.9.8.7")));
  EXPECT_TRUE(policy.is_local(ip::make_address("::ffff:10.9.8.7")));
  EXPECT_FALSE(policy.is_local(ip::make_address("11.0.0.1")));
}

TEST(AddressPolicy, RefusesWhatIsNotANetwork) {
  EXPECT_THROW(AddressPolicy({"10.0.0.0"}, kLocal), std::invalid_argument);
  EXPECT_THROW(AddressPolicy({"10.0.0.0/33"}, kLocal), std::invalid_argument);
  EXPECT_THROW(AddressPolicy({"10.0.0.0/"}, kLocal), std::invalid_argument);
  EXPECT_THROW(AddressPolicy({"10.0.0.0/8x"}, kLocal), std::invalid_argument);
  EXPECT_THROW(AddressPolicy({"fd00::/129"}, kLocal), std::invalid_argument);
  EXPECT_THROW(AddressPolicy({"example.com/8"}, kLocal), std::invalid_argument);
  EXPECT_FALSE(parse_local_network("10.0.0.0/-1"));
  EXPECT_TRUE(parse_local_network("fd00::/8"));
}

} // namespace
} // namespace starling::net
