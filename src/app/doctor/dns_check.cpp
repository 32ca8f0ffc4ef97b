// Doctor check: every host name in the configuration resolves.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/doctor/checks.h"
#include "net/dns_lookup.h"
#include "net/host_port.h"

namespace starling::app::doctor {
namespace {

constexpr std::chrono::milliseconds kTimeout{3000};

// The host names the configuration makes Starling look up. Trunks are located (NAPTR, SRV,
// A/AAAA) by the trunk check, which reports their DNS failures itself.
std::vector<std::string> configured_names(const core::Config& config) {
  std::vector<std::string> names;
  const auto add = [&names](const std::string& server) {
    const auto parsed = net::parse_host_port(server, 1);
    if (parsed && !is_ip_address(parsed->host)) {
      names.push_back(parsed->host);
    }
  };
  for (const auto& server : config.network.ntp_servers) {
    add(server);
  }
  add(config.network.stun_server);
  return names;
}

} // namespace

std::vector<CheckResult> check_dns(const core::Config& config) {
  const auto& dns_server = config.network.dns_server;
  const std::string resolver =
      dns_server.empty() ? std::string("the system resolver") : "DNS server " + dns_server;
  const auto names = configured_names(config);
  if (names.empty()) {
    return {{CheckStatus::pass, "dns",
             "no host names configured to resolve (NTP and STUN servers are addresses or unset)",
             ""}};
  }
  std::vector<CheckResult> results;
  for (const auto& name : names) {
    const std::string check = fmt::format("dns {}", name);
    auto addresses = net::lookup_host(name, dns_server, kTimeout);
    if (!addresses) {
      results.push_back({CheckStatus::fail, check,
                         fmt::format("{} via {}", addresses.error(), resolver),
                         fmt::format("check the spelling of {} in the configuration and that {} "
                                     "answers (UDP and TCP port 53 allowed out)",
                                     name, resolver)});
      continue;
    }
    results.push_back({CheckStatus::pass, check,
                       fmt::format("{} via {}", fmt::join(*addresses, ", "), resolver), ""});
  }
  return results;
}

} // namespace starling::app::doctor
