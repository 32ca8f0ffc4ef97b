#include <algorithm>

#include <gtest/gtest.h>

#include "net/port_plan.h"

namespace starling::net {
namespace {

const PortEntry* find(const std::vector<PortEntry>& plan, std::string_view service,
                      std::string_view protocol, Direction direction, std::uint16_t port) {
  const auto found = std::ranges::find_if(plan, [&](const PortEntry& entry) {
    return entry.service == service && entry.protocol == protocol && entry.direction == direction &&
           entry.first_port == port;
  });
  return found == plan.end() ? nullptr : &*found;
}

TEST(PortPlan, DefaultsMatchTheTableOfDesign) {
  const auto plan = port_plan(core::Config{});
  EXPECT_TRUE(find(plan, "sip", "udp", Direction::inbound, 5060));
  EXPECT_TRUE(find(plan, "sip", "tcp", Direction::inbound, 5060));
  const auto* tls = find(plan, "sip", "tcp", Direction::inbound, 5061);
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->tls, "TLS 1.2+");
  const auto* media = find(plan, "media", "udp", Direction::inbound, 10000);
  ASSERT_TRUE(media);
  EXPECT_EQ(media->last_port, 20000);
  EXPECT_TRUE(find(plan, "http", "tcp", Direction::inbound, 80));
  EXPECT_TRUE(find(plan, "http", "tcp", Direction::inbound, 443));
  EXPECT_TRUE(find(plan, "xmpp", "tcp", Direction::inbound, 5222));
  EXPECT_TRUE(find(plan, "xmpp", "tcp", Direction::inbound, 5223));
  EXPECT_TRUE(find(plan, "provisioning", "tcp", Direction::inbound, 50080));
  EXPECT_TRUE(find(plan, "provisioning", "tcp", Direction::inbound, 50081));
  EXPECT_TRUE(find(plan, "provisioning", "udp", Direction::inbound, 5060));
  EXPECT_TRUE(find(plan, "net", "udp+tcp", Direction::outbound, 53));
  EXPECT_TRUE(find(plan, "media", "udp", Direction::outbound, 1025));
  EXPECT_FALSE(find(plan, "federation", "udp+tcp", Direction::inbound, 3090));
}

TEST(PortPlan, ContactsNoTimeOrStunServerUntilOneIsConfigured) {
  const auto plan = port_plan(core::Config{});
  EXPECT_FALSE(find(plan, "net", "udp", Direction::outbound, 123));
  EXPECT_FALSE(find(plan, "net", "udp", Direction::outbound, 3478));
  EXPECT_EQ(find(plan, "net", "udp+tcp", Direction::outbound, 53)->address, "system resolver");
}

TEST(PortPlan, ListsEachConfiguredNtpStunAndDnsServerWithItsPort) {
  core::Config config;
  config.network.ntp_servers = {"ntp.example.com", "127.0.0.1:1123"};
  config.network.stun_server = "stun.example.com:3479";
  config.network.dns_server = "127.0.0.1:5353";
  const auto plan = port_plan(config);
  EXPECT_EQ(find(plan, "net", "udp", Direction::outbound, 123)->address, "ntp.example.com");
  EXPECT_EQ(find(plan, "net", "udp", Direction::outbound, 1123)->address, "127.0.0.1");
  EXPECT_EQ(find(plan, "net", "udp", Direction::outbound, 3479)->address, "stun.example.com");
  EXPECT_TRUE(find(plan, "net", "udp+tcp", Direction::outbound, 5353));
}

TEST(PortPlan, MarksWhatARouterForwardsFromTheInternet) {
  const auto plan = port_plan(core::Config{});
  EXPECT_TRUE(find(plan, "sip", "udp", Direction::inbound, 5060)->forwarded);
  EXPECT_FALSE(find(plan, "sip", "tcp", Direction::inbound, 5060)->forwarded);
  EXPECT_TRUE(find(plan, "sip", "tcp", Direction::inbound, 5061)->forwarded);
  EXPECT_TRUE(find(plan, "media", "udp", Direction::inbound, 10000)->forwarded);
  EXPECT_FALSE(find(plan, "http", "tcp", Direction::inbound, 80)->forwarded);
  EXPECT_TRUE(find(plan, "http", "tcp", Direction::inbound, 443)->forwarded);
  EXPECT_TRUE(find(plan, "xmpp", "tcp", Direction::inbound, 5222)->forwarded);
  EXPECT_TRUE(find(plan, "xmpp", "tcp", Direction::inbound, 5223)->forwarded);
  EXPECT_TRUE(find(plan, "provisioning", "tcp", Direction::inbound, 50080)->forwarded);
  EXPECT_TRUE(find(plan, "provisioning", "tcp", Direction::inbound, 50081)->forwarded);
  EXPECT_FALSE(find(plan, "provisioning", "udp", Direction::inbound, 5060)->forwarded);
}

TEST(PortPlan, EveryTlsPortRefusesOldTls) {
  for (const auto& entry : port_plan(core::Config{})) {
    if (entry.tls != "-") {
      EXPECT_NE(entry.tls.find("TLS 1.2+"), std::string::npos) << entry.purpose;
    }
  }
}

TEST(PortPlan, FollowsOffsetsAddressesAndDisabledServices) {
  core::Config config;
  config.network.port_offset = 1000;
  config.sip.address = "127.0.0.1";
  config.xmpp.enabled = false;
  config.federation.enabled = true;
  const auto plan = port_plan(config);
  const auto* sip = find(plan, "sip", "udp", Direction::inbound, 6060);
  ASSERT_TRUE(sip);
  EXPECT_EQ(sip->address, "127.0.0.1");
  EXPECT_EQ(find(plan, "http", "tcp", Direction::inbound, 1443)->address, "::");
  EXPECT_EQ(find(plan, "media", "udp", Direction::inbound, 11000)->last_port, 21000);
  EXPECT_FALSE(find(plan, "xmpp", "tcp", Direction::inbound, 6222));
  EXPECT_TRUE(find(plan, "federation", "udp+tcp", Direction::inbound, 4090));
  // The multicast group and outbound needs are fixed by others, not by our offset.
  EXPECT_TRUE(find(plan, "provisioning", "udp", Direction::inbound, 5060));
  EXPECT_TRUE(find(plan, "net", "udp+tcp", Direction::outbound, 53));
}

TEST(PortPlan, EachTrunkAddsItsProviderWithTheTransportsDefaultPort) {
  const std::vector<TrunkProvider> trunks = {{"carrier", "sip.carrier.example", "udp"},
                                             {"backup", "proxy.backup.example", "tcp"},
                                             {"secure", "sips.secure.example", "tls"}};
  const auto plan = port_plan(core::Config{}, trunks);
  const auto* udp = find(plan, "sip", "udp", Direction::outbound, 5060);
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->address, "sip.carrier.example");
  EXPECT_EQ(udp->purpose, "SIP trunk carrier");
  EXPECT_EQ(udp->tls, "-");
  const auto* tcp = find(plan, "sip", "tcp", Direction::outbound, 5060);
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->address, "proxy.backup.example");
  const auto* tls = find(plan, "sip", "tcp", Direction::outbound, 5061);
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->purpose, "SIP trunk secure");
  EXPECT_EQ(tls->tls, "TLS 1.2+");
  EXPECT_FALSE(tls->forwarded);
}

TEST(PortPlan, TrunkPortGivenWithTheProviderIsUsed) {
  const std::vector<TrunkProvider> trunks = {{"carrier", "192.0.2.10:5080", "udp"},
                                             {"v6", "[2001:db8::1]:5062", "tls"}};
  const auto plan = port_plan(core::Config{}, trunks);
  const auto* carrier = find(plan, "sip", "udp", Direction::outbound, 5080);
  ASSERT_TRUE(carrier);
  EXPECT_EQ(carrier->address, "192.0.2.10");
  const auto* v6 = find(plan, "sip", "tcp", Direction::outbound, 5062);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->address, "2001:db8::1");
}

TEST(PortPlan, TrunksNeedNoPortsWhileSipIsDisabled) {
  core::Config config;
  config.sip.enabled = false;
  const std::vector<TrunkProvider> trunks = {{"carrier", "sip.carrier.example", "udp"}};
  EXPECT_FALSE(find(port_plan(config, trunks), "sip", "udp", Direction::outbound, 5060));
}

TEST(PortPlan, TableHasAHeaderAndOneLinePerEntry) {
  const auto plan = port_plan(core::Config{});
  const auto table = format_port_table(plan);
  EXPECT_TRUE(table.starts_with("SERVICE"));
  EXPECT_EQ(static_cast<std::size_t>(std::ranges::count(table, '\n')), plan.size() + 1);
  EXPECT_NE(table.find("10000-20000"), std::string::npos);
}

} // namespace
} // namespace starling::net
