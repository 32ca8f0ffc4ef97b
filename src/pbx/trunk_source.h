// Where a trunk's calls may come from: an entry of Trunk::allowed_addresses.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>

#include "net/address_policy.h"

namespace starling::pbx {

// "192.0.2.10", "198.51.100.0/24", "2001:db8::/32", or an address with a port
// ("192.0.2.10:5060", "[2001:db8::1]:5060") where the provider shares its address with
// others, such as phones on the same host.
struct TrunkSource {
  net::LocalNetwork network;
  std::optional<std::uint16_t> port;

  [[nodiscard]] bool matches(const boost::asio::ip::address& address, std::uint16_t from) const;
};

// The error says what is wrong, for the CLI and the API: "'10.0.0.300' is no address or
// network such as 192.0.2.10, 192.0.2.0/24 or 192.0.2.10:5060".
std::expected<TrunkSource, std::string> parse_trunk_source(std::string_view text);

} // namespace starling::pbx
