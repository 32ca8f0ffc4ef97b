// Firewall rules for the port plan: the PBX host's own firewall and, behind a NAT, the router's.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "net/port_plan.h"

namespace starling::net {

enum class FirewallFormat { nftables, iptables, text };

// public: the PBX host has a public address itself. nat: it sits behind a router that
// forwards the internet-facing ports to it.
enum class FirewallScenario { public_host, nat };

struct FirewallOptions {
  FirewallFormat format = FirewallFormat::text;
  FirewallScenario scenario = FirewallScenario::public_host;
  // nat: the PBX's (IPv4) address on the router's LAN, the target of the forwardings.
  std::string pbx_address;
  // nat: the router's interface towards the internet.
  std::string wan_interface = "wan0";
};

// The rules as a file for `nft -f`, for `iptables-restore`, or as commented text. Fails only
// for options that cannot make rules (nat without a usable PBX address or interface name).
[[nodiscard]] std::expected<std::string, std::string>
firewall_rules(const std::vector<PortEntry>& plan, const FirewallOptions& options);

} // namespace starling::net
