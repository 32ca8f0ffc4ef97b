// Where a trunk's calls may come from: addresses, networks and address:port pairs.
#include "pbx/trunk_source.h"

#include <charconv>

#include <fmt/format.h>

namespace starling::pbx {
namespace {

std::optional<std::uint16_t> parse_port(std::string_view text) {
  std::uint16_t port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc{} || end != text.data() + text.size() || port == 0) {
    return std::nullopt;
  }
  return port;
}

// A single address as the network of just that address.
std::optional<net::LocalNetwork> host_network(std::string_view text) {
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(std::string(text), error);
  if (error) {
    return std::nullopt;
  }
  return net::LocalNetwork{net::unmapped(address), address.is_v4() ? 32U : 128U};
}

} // namespace

bool TrunkSource::matches(const boost::asio::ip::address& address, std::uint16_t from) const {
  return network.contains(net::unmapped(address)) && (!port || *port == from);
}

std::expected<TrunkSource, std::string> parse_trunk_source(std::string_view text) {
  const auto refused = [text] {
    return std::unexpected(fmt::format("'{}' is no address or network such as 192.0.2.10, "
                                       "192.0.2.0/24 or 192.0.2.10:5060",
                                       text));
  };
  if (text.find('/') != std::string_view::npos) {
    auto network = net::parse_local_network(std::string(text));
    if (!network) {
      return refused();
    }
    return TrunkSource{*network, std::nullopt};
  }
  if (text.starts_with('[')) {
    const auto close = text.find("]:");
    auto network =
        close == std::string_view::npos ? std::nullopt : host_network(text.substr(1, close - 1));
    auto port = network ? parse_port(text.substr(close + 2)) : std::nullopt;
    if (!port) {
      return refused();
    }
    return TrunkSource{*network, port};
  }
  if (const auto colon = text.find(':');
      colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    auto network = host_network(text.substr(0, colon));
    auto port = network ? parse_port(text.substr(colon + 1)) : std::nullopt;
    if (!port) {
      return refused();
    }
    return TrunkSource{*network, port};
  }
  auto network = host_network(text);
  if (!network) {
    return refused();
  }
  return TrunkSource{*network, std::nullopt};
}

} // namespace starling::pbx
