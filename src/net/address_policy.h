// Which of our addresses a peer is told to reach us at (SDP, Contact, Via): local or public.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace starling::net {

// One entry of network.local_networks, with the host bits cleared ("10.1.2.3/8" is 10/8).
struct LocalNetwork {
  boost::asio::ip::address base;
  unsigned prefix_length = 0;

  [[nodiscard]] bool contains(const boost::asio::ip::address& address) const;
};

// Parses "192.168.0.0/16" or "fd00::/8". Nothing for anything else.
[[nodiscard]] std::optional<LocalNetwork> parse_local_network(const std::string& cidr);

// An IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a dual-stack socket reports for an IPv4
// peer) as the IPv4 address it stands for; any other address unchanged.
[[nodiscard]] boost::asio::ip::address unmapped(const boost::asio::ip::address& address);

// Read from every signalling shard, written once or rarely (when STUN answers), so the public
// address sits behind a mutex: a lookup is one uncontended lock, well below a message's cost.
class AddressPolicy {
public:
  // The networks come from the configuration loader, which has already checked them; one
  // that does not parse is a broken invariant and throws std::invalid_argument (start-up).
  AddressPolicy(const std::vector<std::string>& local_networks,
                boost::asio::ip::address local_address,
                std::optional<boost::asio::ip::address> public_address = std::nullopt);
  AddressPolicy(const AddressPolicy&) = delete;
  AddressPolicy& operator=(const AddressPolicy&) = delete;
  AddressPolicy(AddressPolicy&&) = delete;
  AddressPolicy& operator=(AddressPolicy&&) = delete;
  ~AddressPolicy() = default;

  // True when the peer is inside one of the local networks (IPv4-mapped peers count as
  // their IPv4 address).
  [[nodiscard]] bool is_local(const boost::asio::ip::address& peer) const;

  // The local address for local peers and while no public address is known; the public
  // address for everyone else.
  [[nodiscard]] boost::asio::ip::address
  advertised_address(const boost::asio::ip::address& peer) const;
  // The same with the local address of the socket or flow the peer talks to (better than
  // the configured one when that is "::" or the host has several addresses).
  [[nodiscard]] boost::asio::ip::address
  advertised_address(const boost::asio::ip::address& peer,
                     const boost::asio::ip::address& flow_local_address) const;

  [[nodiscard]] boost::asio::ip::address local_address() const { return local_address_; }
  [[nodiscard]] std::optional<boost::asio::ip::address> public_address() const;
  // Learned later, e.g. from a STUN server; replaces what was configured or learned before.
  void set_public_address(const boost::asio::ip::address& address);

private:
  std::vector<LocalNetwork> local_networks_;
  boost::asio::ip::address local_address_;
  mutable std::mutex public_address_mutex_;
  std::optional<boost::asio::ip::address> public_address_;
};

} // namespace starling::net
