// Doctor check: the clock's offset from each configured NTP server (SNTP, RFC 4330).
#include <cmath>

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include "app/doctor/checks.h"
#include "net/sntp_client.h"

namespace starling::app::doctor {
namespace {

// Digest nonces, TLS certificates and call records all go wrong beyond this (docs/network.md).
constexpr std::chrono::milliseconds kMaxOffset{1000};

double milliseconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

CheckResult check_server(const std::string& server, const core::Config& config) {
  const std::string check = fmt::format("ntp {}", server);
  const auto target = resolve_server(server, net::kNtpDefaultPort, config);
  if (!target) {
    return {CheckStatus::fail, check, target.error(),
            "fix the name in network.ntp_servers, or the DNS (see the dns lines)"};
  }
  boost::asio::io_context io;
  net::SntpQueryResult result = std::unexpected(std::string("no answer"));
  net::query_sntp_server(io, *target, [&result](net::SntpQueryResult done) { result = done; });
  io.run();
  if (!result) {
    return {CheckStatus::fail, check, result.error(),
            fmt::format("check that {} runs an NTP server and that UDP to its port is allowed "
                        "out (starling firewall)",
                        server)};
  }
  const std::string found = fmt::format("clock offset {:+.1f} ms, round trip {:.1f} ms",
                                        milliseconds(result->offset), milliseconds(result->delay));
  if (std::chrono::abs(result->offset) > kMaxOffset) {
    return {CheckStatus::warn, check, found + ", more than 1 s off",
            "synchronize the clock (e.g. install chrony with this server): digest nonces, TLS "
            "and call records depend on it"};
  }
  return {CheckStatus::pass, check, found, ""};
}

} // namespace

std::vector<CheckResult> check_ntp(const core::Config& config) {
  if (config.network.ntp_servers.empty()) {
    return {{CheckStatus::warn, "ntp", "no NTP servers configured, the clock is not checked",
             "set network.ntp_servers to the NTP servers this host synchronizes with"}};
  }
  std::vector<CheckResult> results;
  results.reserve(config.network.ntp_servers.size());
  for (const auto& server : config.network.ntp_servers) {
    results.push_back(check_server(server, config));
  }
  return results;
}

} // namespace starling::app::doctor
