// What the registrar publishes on the event bus when a binding changes.
#pragma once

#include <cstdint>
#include <string>

namespace starling::sip {

struct RegistrationEvent {
  enum class Kind { added, refreshed, removed, expired };
  Kind kind;
  std::string aor;
  std::string contact;
  std::string transport;        // "udp", "tcp", "tls"
  std::string source;           // "address:port" its packets came from
  std::uint32_t expires_in = 0; // seconds; 0 when removed or expired
  std::string user_agent;
};

} // namespace starling::sip
