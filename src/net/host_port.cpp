// "host", "host:port", "[v6]:port" or a bare IPv6 literal, as configured for servers Starling asks.
#include "net/host_port.h"

#include <charconv>

namespace starling::net {

std::expected<HostPort, std::string> parse_host_port(std::string_view text,
                                                     std::uint16_t default_port) {
  const auto bad = [](std::string_view why) { return std::unexpected(std::string(why)); };
  HostPort parsed{.host = {}, .port = default_port};
  std::string_view port_text;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      return bad("missing ']' after the IPv6 address");
    }
    parsed.host = std::string(text.substr(1, close - 1));
    const auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(':')) {
        return bad("expected ':port' after ']'");
      }
      port_text = rest.substr(1);
    }
  } else if (const auto colon = text.find(':');
             colon == std::string_view::npos ||
             text.find(':', colon + 1) != std::string_view::npos) {
    parsed.host = std::string(text); // no port, or a bare IPv6 address (no port either)
  } else {
    parsed.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (port_text.empty()) {
      return bad("empty port after ':'");
    }
  }
  if (parsed.host.empty()) {
    return bad("no host");
  }
  if (!port_text.empty()) {
    unsigned port = 0;
    const auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return bad("the port must be a number from 1 to 65535");
    }
    parsed.port = static_cast<std::uint16_t>(port);
  }
  return parsed;
}

} // namespace starling::net
