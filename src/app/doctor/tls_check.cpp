// Doctor check: each TLS port refuses TLS 1.0/1.1, accepts 1.2+, and its certificate lasts.
#include <algorithm>
#include <array>
#include <ctime>

#include <fmt/format.h>

#include "app/doctor/checks.h"
#include "net/port_plan.h"
#include "net/tls_probe.h"

namespace starling::app::doctor {
namespace {

constexpr std::chrono::milliseconds kTimeout{3000};
constexpr std::int64_t kSecondsPerDay = 86400;
// Renew well before expiry: ACME clients renew at 30 days left, so less means renewal failed.
constexpr std::int64_t kMinDaysLeft = 30;
// The services `starling serve` runs in this release; XMPP and provisioning listen once they
// are built, and their TLS ports join the check then (a silent port would read as a failure).
constexpr std::array<std::string_view, 2> kServicesRunning = {"sip", "http"};

bool direct_tls(const net::PortEntry& entry) {
  return entry.direction == net::Direction::inbound && entry.tls == "TLS 1.2+" &&
         entry.protocol == "tcp" &&
         std::ranges::find(kServicesRunning, entry.service) != kServicesRunning.end();
}

CheckResult check_port(const net::PortEntry& entry) {
  const std::string address = local_address_of(entry.address);
  const std::string where = address.find(':') == std::string::npos
                                ? fmt::format("{}:{}", address, entry.first_port)
                                : fmt::format("[{}]:{}", address, entry.first_port);
  const std::string check = fmt::format("tls {} {}", entry.service, where);
  auto probe = net::probe_tls_port(address, entry.first_port, kTimeout);
  if (!probe) {
    return {CheckStatus::fail, check, fmt::format("{}: is starling running?", probe.error()),
            "start starling (starling serve) and check its log for errors on this port"};
  }
  if (probe->old_version_accepted) {
    return {CheckStatus::fail, check,
            fmt::format("accepts {}, which must be refused", *probe->old_version_accepted),
            "something other than starling answers on this port, or a proxy in front of it "
            "allows old TLS: let it offer TLS 1.2 and 1.3 only"};
  }
  const auto& certificate = probe->certificate;
  const std::int64_t days_left = (certificate.not_after - std::time(nullptr)) / kSecondsPerDay;
  const std::string found =
      fmt::format("{}, TLS 1.0/1.1 refused; certificate {} issued by {}, valid {} more days",
                  probe->version, certificate.subject,
                  certificate.self_signed ? std::string("itself") : certificate.issuer, days_left);
  if (days_left <= 0) {
    return {CheckStatus::fail, check,
            fmt::format("certificate {} has expired", certificate.subject),
            "renew the certificate (tls.certificate) and send SIGHUP or restart starling"};
  }
  if (days_left <= kMinDaysLeft) {
    return {CheckStatus::warn, check, found,
            "renew the certificate (tls.certificate) before it expires"};
  }
  return {CheckStatus::pass, check, found, ""};
}

} // namespace

std::vector<CheckResult> check_tls_ports(const core::Config& config) {
  std::vector<CheckResult> results;
  for (const auto& entry : net::port_plan(config)) {
    if (direct_tls(entry)) {
      results.push_back(check_port(entry));
    }
  }
  if (results.empty()) {
    results.push_back({CheckStatus::pass, "tls", "no TLS ports enabled", ""});
  }
  return results;
}

} // namespace starling::app::doctor
