// Starling's effective configuration: built-in defaults, overlaid by starling.toml.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace starling::core {

enum class LogFormat { plain, json };

struct LogConfig {
  std::string level = "info";
  LogFormat format = LogFormat::plain;
};

struct StoreConfig {
  // Empty selects the embedded SQLite database at <data_dir>/starling.db.
  std::string url;
};

struct NetworkConfig {
  // "::" listens on every IPv6 and IPv4 address (dual stack).
  std::string address = "::";
  // Added to every listening port, so tests and side-by-side instances run unprivileged.
  std::uint16_t port_offset = 0;
};

struct SipConfig {
  bool enabled = true;
  std::string address; // empty: network.address
  std::uint16_t udp_port = 5060;
  std::uint16_t tcp_port = 5060;
  std::uint16_t tls_port = 5061;
  // Digest realm. Device credentials are stored as HA1 hashes over it, so changing it
  // means setting every device password again.
  std::string realm = "starling";
};

struct MediaConfig {
  std::string address;
  std::uint16_t rtp_port_min = 10000;
  std::uint16_t rtp_port_max = 20000;
};

struct HttpConfig {
  bool enabled = true;
  std::string address;
  std::uint16_t http_port = 80;
  std::uint16_t https_port = 443;
};

struct XmppConfig {
  bool enabled = true;
  std::string address;
  std::uint16_t starttls_port = 5222;
  std::uint16_t tls_port = 5223;
};

struct ProvisioningConfig {
  bool enabled = true;
  std::string address;
  std::uint16_t http_port = 50080;
  std::uint16_t https_port = 50081;
  bool multicast_pnp = true;
};

struct FederationConfig {
  // Off by default: a single site needs no interconnect port open.
  bool enabled = false;
  std::string address;
  std::uint16_t port = 3090;
};

struct Config {
  std::filesystem::path data_dir = "var";
  LogConfig log;
  StoreConfig store;
  NetworkConfig network;
  SipConfig sip;
  MediaConfig media;
  HttpConfig http;
  XmppConfig xmpp;
  ProvisioningConfig provisioning;
  FederationConfig federation;

  // A configured port moved by network.port_offset.
  [[nodiscard]] std::uint16_t listen_port(std::uint16_t configured) const {
    return static_cast<std::uint16_t>(configured + network.port_offset);
  }
  // A service's own address, or the shared one when the service names none.
  [[nodiscard]] const std::string& listen_address(const std::string& service_address) const {
    return service_address.empty() ? network.address : service_address;
  }
};

} // namespace starling::core
