// Hosts in SIP URIs and Via sent-by: hostname, IPv4 address or IPv6 reference (RFC 3261 §25).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace starling::sip {

enum class HostType : std::uint8_t { hostname, ipv4, ipv6 };

// The kind of a host as written in a URI or Via ("[2001:db8::1]" is Ipv6), or nothing when
// it is none of them. A name whose labels are all digits must be a valid IPv4 address.
std::optional<HostType> classify_host(std::string_view host);

bool is_ipv4_address(std::string_view text);
// An IPv6 address without brackets (RFC 4291 §2.2 text forms, IPv4 tail included).
bool is_ipv6_address(std::string_view text);

// The address without IPv6 brackets, as a resolver or socket wants it.
constexpr std::string_view host_address(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

// hostport (RFC 3261 §25.1) of an IP address without brackets: "192.0.2.1:5060",
// "[2001:db8::1]:5060".
std::string host_port(std::string_view address, std::uint16_t port);

} // namespace starling::sip
