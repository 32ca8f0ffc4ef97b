// Every port Starling listens on or connects to, derived from the effective configuration.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/config.h"

namespace starling::net {

enum class Direction { inbound, outbound };

struct PortEntry {
  std::string service;  // the module that owns it, e.g. "sip"
  std::string protocol; // "udp", "tcp" or "udp+tcp"
  Direction direction = Direction::inbound;
  // Where Starling listens; for outbound needs the host it connects to, "*" for any.
  std::string address;
  std::uint16_t first_port = 0;
  std::uint16_t last_port = 0; // equal to first_port unless a range
  std::string purpose;
  std::string tls; // the TLS policy, or "-" for a plain port
  // Faces the internet: a router in front of Starling forwards it (docs/network.md).
  bool forwarded = false;
};

// A SIP trunk's provider as the plan needs it: plain values, so that net/ knows no store/ types.
struct TrunkProvider {
  std::string name;      // the trunk's name
  std::string server;    // where its requests go: the outbound proxy, else the domain
  std::string transport; // "udp", "tcp" or "tls", as the trunk is configured
};

// `trunks`: the enabled trunks; each adds the outbound SIP entry for its provider.
[[nodiscard]] std::vector<PortEntry> port_plan(const core::Config& config,
                                               std::span<const TrunkProvider> trunks = {});

// "udp+tcp" as {"udp", "tcp"}; a single protocol as itself.
[[nodiscard]] std::vector<std::string> protocols_of(const PortEntry& entry);

// The table `starling ports` prints.
[[nodiscard]] std::string format_port_table(const std::vector<PortEntry>& entries);

} // namespace starling::net
