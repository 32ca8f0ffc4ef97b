#include <gtest/gtest.h>

#include "net/firewall_rules.h"

namespace starling::net {
namespace {

std::string rules(const core::Config& config, FirewallFormat format, FirewallScenario scenario,
                  std::string pbx_address = "192.168.1.10",
                  const std::vector<TrunkProvider>& trunks = {}) {
  FirewallOptions options;
  options.format = format;
  options.scenario = scenario;
  options.pbx_address = std::move(pbx_address);
  auto result = firewall_rules(port_plan(config, trunks), options);
  EXPECT_TRUE(result) << result.error();
  return result.value_or("");
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(FirewallRules, NftablesHostFirewallDropsInboundButWhatStarlingListensOn) {
  const auto text = rules(core::Config{}, FirewallFormat::nftables, FirewallScenario::public_host);
  EXPECT_TRUE(contains(text, "type filter hook input priority filter; policy drop;"));
  EXPECT_TRUE(contains(text, "ct state established,related accept"));
  EXPECT_TRUE(contains(text, "iif \"lo\" accept"));
  EXPECT_TRUE(contains(text, "icmpv6 type {"));
  EXPECT_TRUE(contains(text, "nd-neighbor-solicit"));
  EXPECT_TRUE(contains(text, "udp dport 5060 accept"));
  EXPECT_TRUE(contains(text, "tcp dport 5061 accept"));
  EXPECT_TRUE(contains(text, "udp dport 10000-20000 accept"));
  EXPECT_TRUE(contains(text, "tcp dport 443 accept"));
  EXPECT_TRUE(contains(text, "ip daddr 224.0.1.75 udp dport 5060 accept"));
  EXPECT_TRUE(contains(text, "meta l4proto { udp, tcp } th dport 53 accept"));
  EXPECT_FALSE(contains(text, "starling_router"));
}

TEST(FirewallRules, NatScenarioForwardsOnlyTheInternetFacingPortsToThePbx) {
  const auto text = rules(core::Config{}, FirewallFormat::nftables, FirewallScenario::nat);
  EXPECT_TRUE(contains(text, "table ip starling_router"));
  EXPECT_TRUE(contains(text, "iifname \"wan0\" udp dport 5060 dnat to 192.168.1.10"));
  EXPECT_TRUE(contains(text, "iifname \"wan0\" tcp dport 5061 dnat to 192.168.1.10"));
  EXPECT_TRUE(contains(text, "iifname \"wan0\" udp dport 10000-20000 dnat to 192.168.1.10"));
  EXPECT_TRUE(contains(text, "iifname \"wan0\" tcp dport 50081 dnat to 192.168.1.10"));
  EXPECT_FALSE(contains(text, "tcp dport 80 dnat"));
  EXPECT_FALSE(contains(text, "tcp dport 5060 dnat"));
  EXPECT_TRUE(contains(text, "iifname \"wan0\" ip daddr 192.168.1.10 drop"));
}

TEST(FirewallRules, DisabledServicesGetNoRulesAndOffsetsMovePorts) {
  core::Config config;
  config.xmpp.enabled = false;
  config.network.port_offset = 100;
  const auto text = rules(config, FirewallFormat::nftables, FirewallScenario::nat);
  EXPECT_FALSE(contains(text, "5222"));
  EXPECT_FALSE(contains(text, "5322"));
  EXPECT_TRUE(contains(text, "udp dport 5160 dnat"));
}

TEST(FirewallRules, NatNeedsTheIpv4AddressOfThePbxForRules) {
  FirewallOptions options;
  options.format = FirewallFormat::nftables;
  options.scenario = FirewallScenario::nat;
  const auto result = firewall_rules(port_plan(core::Config{}), options);
  ASSERT_FALSE(result);
  EXPECT_TRUE(contains(result.error(), "--pbx-address"));
  options.pbx_address = "10.0.0.2";
  options.wan_interface = "eth0\" accept";
  EXPECT_FALSE(firewall_rules(port_plan(core::Config{}), options));
}

TEST(FirewallRules, TextNamesForwardingsAndOutgoingTrafficWithoutAnAddress) {
  core::Config config;
  config.network.ntp_servers = {"ntp.example.com"};
  const auto text = rules(config, FirewallFormat::text, FirewallScenario::nat, "");
  EXPECT_TRUE(contains(text, "forward these ports from the internet to the PBX's LAN address"));
  EXPECT_TRUE(contains(text, "10000-20000"));
  EXPECT_TRUE(contains(text, "NTP time (clock check) (ntp.example.com)"));
  EXPECT_TRUE(contains(text, "let the PBX reach the internet"));
}

TEST(FirewallRules, IptablesRulesUseColonRangesAndOneRulePerProtocol) {
  const auto text = rules(core::Config{}, FirewallFormat::iptables, FirewallScenario::nat);
  EXPECT_TRUE(contains(text, "*filter\n:INPUT DROP"));
  EXPECT_TRUE(contains(text, "-p udp -m udp --dport 10000:20000"));
  EXPECT_TRUE(contains(text, "-A OUTPUT -p udp -m udp --dport 53"));
  EXPECT_TRUE(contains(text, "-A OUTPUT -p tcp -m tcp --dport 53"));
  EXPECT_TRUE(contains(text, "DNAT --to-destination 192.168.1.10"));
}

TEST(FirewallRules, TrunkProvidersAreAllowedOutOfTheHostAndThroughTheRouter) {
  const std::vector<TrunkProvider> trunks = {{"carrier", "sip.carrier.example", "udp"},
                                             {"secure", "sips.secure.example:5062", "tls"}};
  const auto host =
      rules(core::Config{}, FirewallFormat::nftables, FirewallScenario::public_host, "", trunks);
  EXPECT_TRUE(contains(host, "udp dport 5060 accept comment \"sip: SIP trunk carrier "
                             "(sip.carrier.example)\""));
  EXPECT_TRUE(contains(host, "tcp dport 5062 accept comment \"sip: SIP trunk secure "
                             "(sips.secure.example)\""));
  const auto router = rules(core::Config{}, FirewallFormat::nftables, FirewallScenario::nat,
                            "192.168.1.10", trunks);
  EXPECT_TRUE(contains(router, "oifname \"wan0\" ip saddr 192.168.1.10 udp dport 5060 accept "
                               "comment \"sip: SIP trunk carrier"));
  const auto text = rules(core::Config{}, FirewallFormat::text, FirewallScenario::nat, "", trunks);
  EXPECT_TRUE(contains(text, "SIP trunk carrier (sip.carrier.example)"));
}

// Providers of IP-authenticated trunks need no rule of their own: the host firewall lets every
// source reach SIP, and the trunk's allowed addresses are enforced by Starling itself.
TEST(FirewallRules, InboundSipIsOpenToEverySourceSoIpTrunksNeedNoRule) {
  const auto text = rules(core::Config{}, FirewallFormat::nftables, FirewallScenario::public_host);
  EXPECT_TRUE(contains(text, "    udp dport 5060 accept comment \"sip: SIP signalling"));
  EXPECT_FALSE(contains(text, "saddr"));
}

} // namespace
} // namespace starling::net
