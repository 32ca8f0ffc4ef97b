// The checks of `starling doctor`, one file each, in the order they run.
#pragma once

#include <cstdint>
#include <expected>
#include <span>
#include <string>

#include "app/doctor/check_result.h"

namespace starling::app::doctor {

std::vector<CheckResult> check_dns(const core::Config& config);
std::vector<CheckResult> check_ntp(const core::Config& config);
std::vector<CheckResult> check_tls_ports(const core::Config& config);
std::vector<CheckResult> check_public_address(const core::Config& config);
std::vector<CheckResult> check_port_conflicts(const core::Config& config);
std::vector<CheckResult> check_rtp_range(const core::Config& config);

[[nodiscard]] std::span<const Check> all_checks();

// Where the doctor connects to reach a service listening on `listen_address`: loopback for
// the wildcard addresses, else the address itself.
[[nodiscard]] std::string local_address_of(const std::string& listen_address);

[[nodiscard]] bool is_ip_address(const std::string& host);

// `server` ("host" or "host:port") as "address:port", its host looked up like the DNS check
// does (network.dns_server, or the system resolver), so that every check agrees on names.
[[nodiscard]] std::expected<std::string, std::string>
resolve_server(const std::string& server, std::uint16_t default_port, const core::Config& config);

} // namespace starling::app::doctor
