// Firewall rules for the port plan: the PBX host's own firewall and, behind a NAT, the router's.
#include "net/firewall_rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <optional>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace starling::net {
namespace {

// ICMP that a host must accept to work (RFC 4890 §4.4 for ICMPv6: neighbour discovery and
// path MTU discovery; RFC 1122 for IPv4 errors); echo is answered for diagnosis.
constexpr std::string_view kIcmpTypes =
    "destination-unreachable, time-exceeded, parameter-problem, echo-request";
constexpr std::string_view kIcmpv6Types =
    "destination-unreachable, packet-too-big, time-exceeded, parameter-problem, echo-request, "
    "nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert";
constexpr std::array kIptablesIcmpTypes = {"destination-unreachable", "time-exceeded",
                                           "parameter-problem", "echo-request"};
// Linux interface names: at most 15 characters (IFNAMSIZ - 1).
constexpr std::size_t kMaxInterfaceName = 15;

std::string ports_of(const PortEntry& entry, char range_separator) {
  if (entry.first_port == entry.last_port) {
    return std::to_string(entry.first_port);
  }
  return fmt::format("{}{}{}", entry.first_port, range_separator, entry.last_port);
}

bool is_multicast(const PortEntry& entry) {
  return entry.address.starts_with("224.") || entry.address.starts_with("ff");
}

std::string describe(const PortEntry& entry) {
  std::string text = fmt::format("{}: {}", entry.service, entry.purpose);
  if ((entry.direction == Direction::outbound && entry.address != "*") || is_multicast(entry)) {
    text += fmt::format(" ({})", entry.address);
  }
  return text;
}

// nftables string literals are in double quotes and may not contain them.
std::string nft_comment(const PortEntry& entry) {
  std::string text = describe(entry);
  std::ranges::replace(text, '"', '\'');
  return fmt::format(R"(comment "{}")", text);
}

std::string nft_match(const PortEntry& entry) {
  const auto protocols = protocols_of(entry);
  if (protocols.size() == 1) {
    return fmt::format("{} dport {}", protocols.front(), ports_of(entry, '-'));
  }
  return fmt::format("meta l4proto {{ {} }} th dport {}", fmt::join(protocols, ", "),
                     ports_of(entry, '-'));
}

std::vector<PortEntry> select(const std::vector<PortEntry>& plan, auto predicate) {
  std::vector<PortEntry> chosen;
  std::ranges::copy_if(plan, std::back_inserter(chosen), predicate);
  return chosen;
}

bool inbound(const PortEntry& entry) {
  return entry.direction == Direction::inbound;
}
bool outbound(const PortEntry& entry) {
  return entry.direction == Direction::outbound;
}

std::string nftables_host(const std::vector<PortEntry>& plan) {
  std::string out = "table inet starling\nflush table inet starling\n\ntable inet starling {\n";
  out += "  chain input {\n    type filter hook input priority filter; policy drop;\n";
  out += "    ct state established,related accept\n    ct state invalid drop\n";
  out += "    iif \"lo\" accept\n";
  out += fmt::format("    icmp type {{ {} }} accept\n", kIcmpTypes);
  out += fmt::format("    icmpv6 type {{ {} }} accept\n", kIcmpv6Types);
  for (const auto& entry : select(plan, inbound)) {
    const std::string daddr =
        is_multicast(entry) ? fmt::format("ip daddr {} ", entry.address) : std::string();
    out += fmt::format("    {}{} accept {}\n", daddr, nft_match(entry), nft_comment(entry));
  }
  out += "  }\n\n";
  // Policy accept keeps the host usable; the rules list what Starling needs should the
  // operator switch the policy to drop.
  out += "  chain output {\n    type filter hook output priority filter; policy accept;\n";
  out += "    ct state established,related accept\n    oif \"lo\" accept\n";
  for (const auto& entry : select(plan, outbound)) {
    out += fmt::format("    {} accept {}\n", nft_match(entry), nft_comment(entry));
  }
  out += "  }\n}\n";
  return out;
}

std::string nftables_router(const std::vector<PortEntry>& plan, const FirewallOptions& options) {
  const auto& pbx = options.pbx_address;
  const auto& wan = options.wan_interface;
  const auto forwarded = select(plan, [](const PortEntry& e) { return e.forwarded; });
  std::string out = "\n# The router in front of the PBX (a Linux router with nftables).\n";
  out += "table ip starling_router\nflush table ip starling_router\n\n";
  out += "table ip starling_router {\n";
  out += "  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n";
  for (const auto& entry : forwarded) {
    out += fmt::format("    iifname \"{}\" {} dnat to {} {}\n", wan, nft_match(entry), pbx,
                       nft_comment(entry));
  }
  out += "  }\n\n";
  out += "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n";
  out += fmt::format("    oifname \"{}\" masquerade\n  }}\n\n", wan);
  // Only the PBX's traffic is decided here, so the table can join an existing router setup.
  out += "  chain forward {\n    type filter hook forward priority filter; policy accept;\n";
  out += fmt::format("    ip daddr {} ct state established,related accept\n", pbx);
  out += fmt::format("    ip saddr {} ct state established,related accept\n", pbx);
  for (const auto& entry : forwarded) {
    out += fmt::format("    iifname \"{}\" ip daddr {} ct status dnat {} accept {}\n", wan, pbx,
                       nft_match(entry), nft_comment(entry));
  }
  out += fmt::format("    iifname \"{}\" ip daddr {} drop\n", wan, pbx);
  for (const auto& entry : select(plan, outbound)) {
    out += fmt::format("    oifname \"{}\" ip saddr {} {} accept {}\n", wan, pbx, nft_match(entry),
                       nft_comment(entry));
  }
  out += fmt::format("    oifname \"{}\" ip saddr {} drop\n  }}\n}}\n", wan, pbx);
  return out;
}

// iptables-restore input for IPv4; ip6tables takes the same rules with icmpv6 essentials.
std::string iptables_rule(std::string_view chain, const PortEntry& entry, std::string_view prefix,
                          std::string_view target) {
  std::string out;
  for (const auto& protocol : protocols_of(entry)) {
    out += fmt::format("-A {} {}-p {} -m {} --dport {} -m comment --comment \"{}\" -j {}\n", chain,
                       prefix, protocol, protocol, ports_of(entry, ':'), describe(entry), target);
  }
  return out;
}

std::string iptables_host(const std::vector<PortEntry>& plan) {
  std::string out = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n";
  out += "-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n";
  out += "-A INPUT -m conntrack --ctstate INVALID -j DROP\n-A INPUT -i lo -j ACCEPT\n";
  for (const auto* type : kIptablesIcmpTypes) {
    out += fmt::format("-A INPUT -p icmp --icmp-type {} -j ACCEPT\n", type);
  }
  for (const auto& entry : select(plan, inbound)) {
    const std::string daddr =
        is_multicast(entry) ? fmt::format("-d {}/32 ", entry.address) : std::string();
    out += iptables_rule("INPUT", entry, daddr, "ACCEPT");
  }
  for (const auto& entry : select(plan, outbound)) {
    out += iptables_rule("OUTPUT", entry, "", "ACCEPT");
  }
  return out + "COMMIT\n";
}

std::string iptables_router(const std::vector<PortEntry>& plan, const FirewallOptions& options) {
  const auto forwarded = select(plan, [](const PortEntry& e) { return e.forwarded; });
  const std::string from_wan = fmt::format("-i {} ", options.wan_interface);
  std::string out = "\n# The router in front of the PBX.\n*nat\n:PREROUTING ACCEPT [0:0]\n"
                    ":INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n";
  for (const auto& entry : forwarded) {
    out += iptables_rule("PREROUTING", entry, from_wan,
                         fmt::format("DNAT --to-destination {}", options.pbx_address));
  }
  out += fmt::format("-A POSTROUTING -o {} -j MASQUERADE\nCOMMIT\n", options.wan_interface);
  out += "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n";
  const std::string to_pbx = fmt::format("{}-d {}/32 ", from_wan, options.pbx_address);
  const std::string from_pbx =
      fmt::format("-o {} -s {}/32 ", options.wan_interface, options.pbx_address);
  out += "-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n";
  for (const auto& entry : forwarded) {
    out += iptables_rule("FORWARD", entry, to_pbx + "-m conntrack --ctstate DNAT ", "ACCEPT");
  }
  out += fmt::format("-A FORWARD {}-j DROP\n", to_pbx);
  for (const auto& entry : select(plan, outbound)) {
    out += iptables_rule("FORWARD", entry, from_pbx, "ACCEPT");
  }
  out += fmt::format("-A FORWARD {}-j DROP\nCOMMIT\n", from_pbx);
  return out;
}

std::string text_line(const PortEntry& entry) {
  return fmt::format("  {:<8} {:<12} {}\n", entry.protocol, ports_of(entry, '-'), describe(entry));
}

std::string text_rules(const std::vector<PortEntry>& plan, const FirewallOptions& options) {
  std::string out = "# Host firewall of the PBX\n";
  out += "# Allow in (everything else inbound is dropped; replies to Starling's own\n"
         "# connections, loopback and essential ICMP/ICMPv6 are allowed):\n";
  for (const auto& entry : select(plan, inbound)) {
    out += text_line(entry);
  }
  out += "# Allow out (what Starling connects to):\n";
  for (const auto& entry : select(plan, outbound)) {
    out += text_line(entry);
  }
  if (options.scenario == FirewallScenario::nat) {
    const std::string target =
        options.pbx_address.empty() ? "the PBX's LAN address" : options.pbx_address;
    out += fmt::format("\n# Router: forward these ports from the internet to {} (same port):\n",
                       target);
    for (const auto& entry : select(plan, [](const PortEntry& e) { return e.forwarded; })) {
      out += text_line(entry);
    }
    out += "# Router: let the PBX reach the internet for:\n";
    for (const auto& entry : select(plan, outbound)) {
      out += text_line(entry);
    }
    out += "# Nothing else needs forwarding; the router drops the rest.\n";
  }
  return out;
}

std::optional<std::string> check_router_options(const FirewallOptions& options) {
  std::array<unsigned char, 4> scratch{};
  if (inet_pton(AF_INET, options.pbx_address.c_str(), scratch.data()) != 1) {
    return fmt::format("the nat scenario needs the PBX's IPv4 address on the router's LAN "
                       "(--pbx-address), got \"{}\"",
                       options.pbx_address);
  }
  const auto& wan = options.wan_interface;
  if (wan.empty() || wan.size() > kMaxInterfaceName || std::ranges::any_of(wan, [](char c) {
        return !(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
      })) {
    return fmt::format("\"{}\" is not an interface name (--wan-interface)", wan);
  }
  return std::nullopt;
}

} // namespace

std::expected<std::string, std::string> firewall_rules(const std::vector<PortEntry>& plan,
                                                       const FirewallOptions& options) {
  if (options.format == FirewallFormat::text) {
    return text_rules(plan, options);
  }
  const bool nat = options.scenario == FirewallScenario::nat;
  if (nat) {
    if (auto error = check_router_options(options)) {
      return std::unexpected(std::move(*error));
    }
  }
  if (options.format == FirewallFormat::nftables) {
    return "#!/usr/sbin/nft -f\n# Starling: host firewall of the PBX.\n" + nftables_host(plan) +
           (nat ? nftables_router(plan, options) : "");
  }
  return "# Starling: host firewall of the PBX (iptables-restore, IPv4).\n" + iptables_host(plan) +
         (nat ? iptables_router(plan, options) : "");
}

} // namespace starling::net
