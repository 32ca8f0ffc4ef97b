// "host", "host:port", "[v6]:port" or a bare IPv6 literal, as configured for servers Starling asks.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace starling::net {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

// The port is `default_port` when the text names none. The error says what is wrong, without
// naming the setting (the caller knows which one it is).
[[nodiscard]] std::expected<HostPort, std::string> parse_host_port(std::string_view text,
                                                                   std::uint16_t default_port);

} // namespace starling::net
