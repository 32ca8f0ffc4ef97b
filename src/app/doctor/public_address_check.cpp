// Doctor check: the public address a STUN server sees vs network.public_address.
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include "app/doctor/checks.h"
#include "net/stun_client.h"

namespace starling::app::doctor {
namespace {

// Shorter than the RFC 8489 defaults (39.5 s): the operator is waiting at the terminal, and a
// server that answers at all answers within milliseconds.
constexpr net::StunRetransmission kDoctorTiming{std::chrono::milliseconds(250), 3, 4};

} // namespace

std::vector<CheckResult> check_public_address(const core::Config& config) {
  const auto& network = config.network;
  if (network.stun_server.empty()) {
    const std::string found =
        network.public_address.empty()
            ? "no STUN server configured and no network.public_address: phones outside "
              "network.local_networks get the local address"
            : fmt::format("network.public_address is {}; no STUN server configured to confirm it",
                          network.public_address);
    return {{CheckStatus::warn, "public address", found,
             "set network.stun_server to a STUN server to have this checked"}};
  }
  const std::string check = fmt::format("public address via {}", network.stun_server);
  const auto target = resolve_server(network.stun_server, net::kStunDefaultPort, config);
  if (!target) {
    return {{CheckStatus::fail, check, target.error(),
             "fix the name in network.stun_server, or the DNS (see the dns lines)"}};
  }
  boost::asio::io_context io;
  net::StunQueryResult result = std::unexpected(std::string("no answer"));
  net::query_stun_server(
      io, *target, [&result](net::StunQueryResult done) { result = done; }, kDoctorTiming);
  io.run();
  if (!result) {
    return {{CheckStatus::fail, check, result.error(),
             "check network.stun_server and that UDP to it is allowed out (starling firewall)"}};
  }
  const std::string seen = result->address.to_string();
  if (network.public_address.empty()) {
    return {{CheckStatus::pass, check,
             fmt::format("{} (network.public_address unset: this is what phones get)", seen), ""}};
  }
  if (seen != network.public_address) {
    return {{CheckStatus::fail, check,
             fmt::format("the STUN server sees {}, but network.public_address is {}", seen,
                         network.public_address),
             fmt::format("set network.public_address to {} (or leave it empty to learn it), and "
                         "forward the ports of `starling firewall --scenario nat` to this host",
                         seen)}};
  }
  return {{CheckStatus::pass, check, fmt::format("{}, as network.public_address says", seen), ""}};
}

} // namespace starling::app::doctor
