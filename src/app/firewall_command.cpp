// `starling firewall`: firewall rules for this configuration's ports (docs/network.md).
#include <map>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/trunk_servers.h"
#include "net/firewall_rules.h"

namespace starling::app {
namespace {

// The PBX's LAN address when the configuration names one; nat output needs it.
std::string configured_ipv4(const core::Config& config) {
  const auto& address = config.listen_address(config.sip.address);
  const bool specific =
      address != "::" && address != "0.0.0.0" && address.find(':') == std::string::npos;
  return specific ? address : std::string();
}

} // namespace

void add_firewall_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<net::FirewallOptions>();
  auto* command = app.add_subcommand(
      "firewall", "Print firewall rules for the ports of this configuration: the PBX host's own "
                  "firewall and, with --scenario nat, the router's port forwardings");
  const std::map<std::string, net::FirewallFormat> formats = {
      {"nftables", net::FirewallFormat::nftables},
      {"iptables", net::FirewallFormat::iptables},
      {"text", net::FirewallFormat::text}};
  command
      ->add_option("--format", options->format,
                   "text: commented list of what to allow and forward; nftables: a file for "
                   "`nft -f`; iptables: a file for `iptables-restore` (IPv4)")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
      ->option_text("nftables|iptables|text (default: text)");
  const std::map<std::string, net::FirewallScenario> scenarios = {
      {"public", net::FirewallScenario::public_host}, {"nat", net::FirewallScenario::nat}};
  command
      ->add_option("--scenario", options->scenario,
                   "public: the PBX has a public address itself (host firewall only); nat: "
                   "it sits behind a router, so also the router's forwardings and the "
                   "outgoing traffic the router must let through")
      ->transform(CLI::CheckedTransformer(scenarios, CLI::ignore_case))
      ->option_text("public|nat (default: public)");
  command
      ->add_option("--pbx-address", options->pbx_address,
                   "nat: the PBX's IPv4 address on the router's LAN, where the router "
                   "forwards to (default: sip.address or network.address when set to one)")
      ->option_text("ADDR");
  command
      ->add_option("--wan-interface", options->wan_interface,
                   "nat: the router's interface towards the internet")
      ->option_text("NAME (default: wan0)");
  command->callback([&context, options] {
    auto chosen = *options;
    if (chosen.pbx_address.empty()) {
      chosen.pbx_address = configured_ipv4(context.config());
    }
    auto rules =
        net::firewall_rules(net::port_plan(context.config(), trunk_providers(context)), chosen);
    if (!rules) {
      throw CommandFailure(kExitUsage, rules.error());
    }
    fmt::print("{}", *rules);
  });
}

} // namespace starling::app
