// Blocking host name lookups through the system's resolver or a configured DNS server (c-ares).
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <vector>

namespace starling::net {

// The IPv4 and IPv6 addresses of `name`, asked of `dns_server` ("address" or "address:port";
// empty: the servers in /etc/resolv.conf, and /etc/hosts first, as the system does). For the
// doctor, which may block; the error names the reason ("NXDOMAIN: domain name not found").
[[nodiscard]] std::expected<std::vector<std::string>, std::string>
lookup_host(const std::string& name, const std::string& dns_server,
            std::chrono::milliseconds timeout);

} // namespace starling::net
