// Doctor check: each enabled SIP trunk's servers are found in DNS and one of them answers.
#include "app/doctor/trunk_check.h"

#include <ranges>
#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/doctor/sip_probe.h"
#include "app/trunk_servers.h"
#include "core/clock.h"
#include "net/host_port.h"
#include "net/sip_locator.h"
#include "sip/host.h"

namespace starling::app::doctor {
namespace {

constexpr std::chrono::milliseconds kDnsTimeout{2000};
constexpr std::chrono::milliseconds kAnswerTimeout{2000};
// Providers publish a few servers for failover; asking more would only make the doctor slow.
constexpr std::size_t kMaxProbedServers = 3;

net::SipLocation locate(const net::SipServerName& name, const core::Config& config) {
  boost::asio::io_context io;
  const core::SteadyClock clock;
  net::SipLocation location = std::unexpected(std::string("the lookup did not finish"));
  try {
    net::SipLocator locator(io, config.network.dns_server, kDnsTimeout, clock);
    locator.resolve(name, [&location](net::SipLocation found) { location = std::move(found); });
    io.run();
  } catch (const std::runtime_error& error) { // a malformed network.dns_server
    return std::unexpected(std::string(error.what()));
  }
  return location;
}

// What to ask DNS by hand: the SRV name the locator asked, or the host when a port skips SRV.
std::string dig_command(const net::SipServerName& name) {
  if (name.port) {
    return fmt::format("dig {}", name.host);
  }
  const auto transport = name.transport.value_or(net::SipTransport::udp);
  return fmt::format("dig SRV {}.{}",
                     transport == net::SipTransport::tls   ? "_sips._tcp"
                     : transport == net::SipTransport::tcp ? "_sip._tcp"
                                                           : "_sip._udp",
                     name.host);
}

CheckResult probe(std::string check, const std::vector<net::SipServerTarget>& servers,
                  const TlsExpectation& tls) {
  std::vector<std::string> failures;
  bool certificate_refused = false;
  for (const auto& server : servers | std::views::take(kMaxProbedServers)) {
    auto answer = probe_sip_server(server, tls, kAnswerTimeout);
    if (answer) {
      return {CheckStatus::pass, std::move(check),
              fmt::format("{} ({}) {} in {:.1f} ms", sip::host_port(server.address, server.port),
                          net::to_string(server.transport), answer->what,
                          std::chrono::duration<double, std::milli>(answer->round_trip).count()),
              ""};
    }
    certificate_refused = certificate_refused || answer.error().handshake_failed;
    failures.push_back(std::move(answer.error().message));
  }
  if (certificate_refused) {
    return {CheckStatus::fail, std::move(check), fmt::format("{}", fmt::join(failures, "; ")),
            fmt::format("the provider's certificate must be for {} and from a trusted CA; for a "
                        "provider with a CA of its own, name its CA bundle in tls.ca_file",
                        tls.server_name)};
  }
  return {CheckStatus::fail, std::move(check), fmt::format("{}", fmt::join(failures, "; ")),
          "check that the provider's server is up and that SIP to it is allowed out (starling "
          "firewall); some providers ignore OPTIONS from addresses they do not know"};
}

CheckResult check_trunk(const store::Trunk& trunk, const core::Config& config) {
  std::string check = fmt::format("trunk {}", trunk.name);
  if (!trunk.enabled) {
    return {CheckStatus::pass, std::move(check), "disabled, not checked", ""};
  }
  const auto name = trunk_server_name(trunk);
  const auto servers = locate(name, config);
  if (!servers) {
    return {
        CheckStatus::fail, std::move(check), servers.error(),
        fmt::format("check the trunk's domain and network.dns_server; `{}`", dig_command(name))};
  }
  return probe(std::move(check), *servers, {name.host, config.tls.ca_file});
}

} // namespace

std::vector<CheckResult> check_trunks(const Subject& subject) {
  if (subject.trunks.empty()) {
    return {{CheckStatus::pass, "trunks", "no SIP trunks configured (starling trunk add)", ""}};
  }
  std::vector<CheckResult> results;
  results.reserve(subject.trunks.size());
  for (const auto& trunk : subject.trunks) {
    results.push_back(check_trunk(trunk, subject.config));
  }
  return results;
}

} // namespace starling::app::doctor
