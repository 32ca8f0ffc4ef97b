// Which of our addresses a peer is told to reach us at (SDP, Contact, Via): local or public.
#include "net/address_policy.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/address_v6.hpp>

namespace starling::net {
namespace {

namespace ip = boost::asio::ip;

// Both families as 16 network-order bytes, so one prefix comparison serves both.
ip::address_v6::bytes_type address_bytes(const ip::address& address) {
  ip::address_v6::bytes_type bytes{};
  if (address.is_v4()) {
    const auto v4 = address.to_v4().to_bytes();
    std::copy(v4.begin(), v4.end(), bytes.begin());
  } else {
    bytes = address.to_v6().to_bytes();
  }
  return bytes;
}

bool same_prefix(const ip::address_v6::bytes_type& a, const ip::address_v6::bytes_type& b,
                 unsigned prefix_length) {
  const unsigned whole_bytes = prefix_length / 8;
  for (unsigned i = 0; i < whole_bytes; ++i) {
    if (a[i] != b[i]) {
      return false;
    }
  }
  const unsigned rest = prefix_length % 8;
  if (rest == 0) {
    return true;
  }
  const auto mask = static_cast<unsigned char>(0xFFU << (8 - rest));
  return (a[whole_bytes] & mask) == (b[whole_bytes] & mask);
}

} // namespace

bool LocalNetwork::contains(const ip::address& address) const {
  const ip::address peer = unmapped(address);
  if (peer.is_v4() != base.is_v4()) {
    return false;
  }
  return same_prefix(address_bytes(peer), address_bytes(base), prefix_length);
}

std::optional<LocalNetwork> parse_local_network(const std::string& cidr) {
  const auto slash = cidr.find('/');
  if (slash == std::string::npos) {
    return std::nullopt;
  }
  boost::system::error_code error;
  ip::address address = ip::make_address(cidr.substr(0, slash), error);
  if (error) {
    return std::nullopt;
  }
  const std::string_view digits = std::string_view(cidr).substr(slash + 1);
  unsigned prefix_length = 0;
  const auto [end, parse_error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), prefix_length);
  if (digits.empty() || parse_error != std::errc{} || end != digits.data() + digits.size() ||
      prefix_length > (address.is_v4() ? 32U : 128U)) {
    return std::nullopt;
  }
  // "::ffff:10.0.0.0/104" is 10.0.0.0/8, as peers are compared by their IPv4 address.
  if (address.is_v6() && address.to_v6().is_v4_mapped() && prefix_length >= 96) {
    address = unmapped(address);
    prefix_length -= 96;
  }
  const unsigned max_length = address.is_v4() ? 32 : 128;
  // Clear the host bits, so the network compares by its prefix alone.
  auto bytes = address_bytes(address);
  for (unsigned bit = prefix_length; bit < max_length; ++bit) {
    bytes[bit / 8] = static_cast<unsigned char>(bytes[bit / 8] & ~(0x80U >> (bit % 8)));
  }
  ip::address base;
  if (address.is_v4()) {
    base = ip::address_v4({bytes[0], bytes[1], bytes[2], bytes[3]});
  } else {
    base = ip::address_v6(bytes);
  }
  return LocalNetwork{base, prefix_length};
}

ip::address unmapped(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

AddressPolicy::AddressPolicy(const std::vector<std::string>& local_networks,
                             ip::address local_address, std::optional<ip::address> public_address)
    : local_address_(std::move(local_address)), public_address_(std::move(public_address)) {
  local_networks_.reserve(local_networks.size());
  for (const auto& cidr : local_networks) {
    auto network = parse_local_network(cidr);
    if (!network) {
      throw std::invalid_argument("network.local_networks: \"" + cidr + "\" is not a network");
    }
    local_networks_.push_back(*network);
  }
}

bool AddressPolicy::is_local(const ip::address& peer) const {
  for (const auto& network : local_networks_) {
    if (network.contains(peer)) {
      return true;
    }
  }
  return false;
}

ip::address AddressPolicy::advertised_address(const ip::address& peer) const {
  return advertised_address(peer, local_address_);
}

ip::address AddressPolicy::advertised_address(const ip::address& peer,
                                              const ip::address& flow_local_address) const {
  if (is_local(peer)) {
    return flow_local_address;
  }
  return public_address().value_or(flow_local_address);
}

std::optional<ip::address> AddressPolicy::public_address() const {
  const std::lock_guard lock(public_address_mutex_);
  return public_address_;
}

void AddressPolicy::set_public_address(const ip::address& address) {
  const std::lock_guard lock(public_address_mutex_);
  public_address_ = address;
}

} // namespace starling::net
