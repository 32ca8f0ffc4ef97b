// Flow helpers: names, log text and address normalisation.
#include "sip/transport/flow.h"

#include <fmt/format.h>

namespace starling::sip {

namespace {

std::string endpoint_text(const boost::asio::ip::address& address, std::uint16_t port) {
  if (address.is_v6()) {
    return fmt::format("[{}]:{}", address.to_string(), port);
  }
  return fmt::format("{}:{}", address.to_string(), port);
}

} // namespace

std::uint32_t flow_number(TransportKind transport, ConnectionId connection) {
  return static_cast<std::uint32_t>((connection << 2U) | static_cast<std::uint32_t>(transport));
}

TransportKind transport_of(const Destination& destination) {
  return static_cast<TransportKind>(destination.flow & 3U);
}

ConnectionId connection_of(const Destination& destination) {
  return destination.flow >> 2U;
}

std::string_view to_string(TransportKind kind) {
  switch (kind) {
  case TransportKind::udp:
    return "udp";
  case TransportKind::tcp:
    return "tcp";
  case TransportKind::tls:
    return "tls";
  }
  return "unknown";
}

std::string_view via_transport(TransportKind kind) {
  switch (kind) {
  case TransportKind::udp:
    return "UDP";
  case TransportKind::tcp:
    return "TCP";
  case TransportKind::tls:
    return "TLS";
  }
  return "UDP";
}

std::string to_string(const Flow& flow) {
  std::string text = fmt::format("{} {} <- {}", to_string(flow.transport),
                                 endpoint_text(flow.local_address, flow.local_port),
                                 endpoint_text(flow.remote_address, flow.remote_port));
  if (flow.connection_id != kNoConnection) {
    text += fmt::format(" #{}", flow.connection_id);
  }
  return text;
}

boost::asio::ip::address unmapped(const boost::asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  return address;
}

std::string address_text(const boost::asio::ip::address& address) {
  const auto plain = unmapped(address);
  if (!plain.is_v4()) {
    return plain.to_string();
  }
  std::string text;
  text.reserve(15);
  for (const auto octet : plain.to_v4().to_bytes()) {
    if (!text.empty()) {
      text.push_back('.');
    }
    if (octet >= 100) {
      text.push_back(static_cast<char>('0' + octet / 100));
    }
    if (octet >= 10) {
      text.push_back(static_cast<char>('0' + octet / 10 % 10));
    }
    text.push_back(static_cast<char>('0' + octet % 10));
  }
  return text;
}

} // namespace starling::sip
