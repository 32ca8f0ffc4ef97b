// The checks of `starling doctor`, one file each, in the order they run.
#include "app/doctor/checks.h"

#include <array>

#include <arpa/inet.h>
#include <fmt/format.h>

#include "app/doctor/trunk_check.h"
#include "net/dns_lookup.h"
#include "net/host_port.h"

namespace starling::app::doctor {
namespace {

constexpr std::chrono::milliseconds kLookupTimeout{3000};

// Most checks need only the configuration.
template <std::vector<CheckResult> (*Run)(const core::Config&)>
std::vector<CheckResult> of_config(const Subject& subject) {
  return Run(subject.config);
}

} // namespace

std::span<const Check> all_checks() {
  // Cheap local checks first, so their lines appear while the network ones wait on answers.
  static constexpr std::array kChecks = {
      Check{"RTP port range", of_config<check_rtp_range>},
      Check{"port conflicts", of_config<check_port_conflicts>},
      Check{"DNS resolution", of_config<check_dns>},
      Check{"SIP trunks", check_trunks},
      Check{"clock (NTP)", of_config<check_ntp>},
      Check{"TLS ports", of_config<check_tls_ports>},
      Check{"public address (STUN)", of_config<check_public_address>},
  };
  return kChecks;
}

std::string local_address_of(const std::string& listen_address) {
  if (listen_address == "::") {
    return "::1";
  }
  if (listen_address == "0.0.0.0") {
    return "127.0.0.1";
  }
  return listen_address;
}

bool is_ip_address(const std::string& host) {
  std::array<unsigned char, 16> scratch{};
  return inet_pton(AF_INET, host.c_str(), scratch.data()) == 1 ||
         inet_pton(AF_INET6, host.c_str(), scratch.data()) == 1;
}

std::expected<std::string, std::string>
resolve_server(const std::string& server, std::uint16_t default_port, const core::Config& config) {
  auto parsed = net::parse_host_port(server, default_port);
  if (!parsed) {
    return std::unexpected(fmt::format("\"{}\": {}", server, parsed.error()));
  }
  std::string address = parsed->host;
  if (!is_ip_address(address)) {
    auto addresses = net::lookup_host(parsed->host, config.network.dns_server, kLookupTimeout);
    if (!addresses) {
      return std::unexpected(fmt::format("cannot resolve {}: {}", parsed->host, addresses.error()));
    }
    address = addresses->front();
  }
  return address.find(':') == std::string::npos ? fmt::format("{}:{}", address, parsed->port)
                                                : fmt::format("[{}]:{}", address, parsed->port);
}

} // namespace starling::app::doctor
