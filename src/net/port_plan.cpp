// Every port Starling listens on or connects to, derived from the effective configuration.
#include "net/port_plan.h"

#include <fmt/format.h>

#include "core/text_table.h"
#include "net/host_port.h"
#include "net/sip_server.h"
#include "net/sntp_packet.h"
#include "net/stun_message.h"

namespace starling::net {
namespace {

// TLS 1.0 and 1.1 are refused on every TLS port (DESIGN.md).
constexpr std::string_view kTlsPolicy = "TLS 1.2+";
constexpr std::string_view kStartTlsPolicy = "STARTTLS, TLS 1.2+";
constexpr std::string_view kPlain = "-";
// RFC 6080: phones ask for their profile by a SUBSCRIBE to sip.mcast.net (224.0.1.75);
// the port is the one phones send to, so the port offset does not move it.
constexpr std::string_view kPnpMulticastGroup = "224.0.1.75";
constexpr std::uint16_t kPnpMulticastPort = 5060;
constexpr std::uint16_t kDnsPort = 53;
// Phones and providers choose their own RTP ports, anywhere above the privileged ones.
constexpr std::uint16_t kRtpFirstPeerPort = 1025;
constexpr std::uint16_t kRtpLastPeerPort = 65535;

class PlanBuilder {
public:
  explicit PlanBuilder(const core::Config& config) : config_(config) {}

  void listen(std::string_view service, std::string_view protocol, const std::string& address,
              std::uint16_t port, std::string_view purpose, std::string_view tls = kPlain) {
    listen_range(service, protocol, address, port, port, purpose, tls);
  }
  void listen_range(std::string_view service, std::string_view protocol, const std::string& address,
                    std::uint16_t first, std::uint16_t last, std::string_view purpose,
                    std::string_view tls = kPlain) {
    entries_.push_back({std::string(service), std::string(protocol), Direction::inbound,
                        config_.listen_address(address), config_.listen_port(first),
                        config_.listen_port(last), std::string(purpose), std::string(tls)});
  }
  void connect(std::string_view service, std::string_view protocol, std::string_view host,
               std::uint16_t port, std::string_view purpose) {
    connect(service, protocol, host, port, port, purpose);
  }
  void connect(std::string_view service, std::string_view protocol, std::string_view host,
               std::uint16_t first, std::uint16_t last, std::string_view purpose,
               std::string_view tls = kPlain) {
    entries_.push_back({std::string(service), std::string(protocol), Direction::outbound,
                        std::string(host), first, last, std::string(purpose), std::string(tls)});
  }
  // Marks the entry added last as one a router forwards from the internet.
  void forwarded() { entries_.back().forwarded = true; }
  // An entry at a fixed, well-known address that the port offset does not move.
  void add(PortEntry entry) { entries_.push_back(std::move(entry)); }
  std::vector<PortEntry> take() { return std::move(entries_); }

private:
  const core::Config& config_;
  std::vector<PortEntry> entries_;
};

// RFC 3263 §4.2: without a port in the name, SRV records choose it; the plan shows the
// transport's default, which is what providers publish almost always.
void connect_to_trunk(PlanBuilder& plan, const TrunkProvider& trunk) {
  const bool tls = trunk.transport == "tls";
  const auto default_port = tls ? kSipsDefaultPort : kSipDefaultPort;
  const auto server =
      parse_host_port(trunk.server, default_port).value_or(HostPort{trunk.server, default_port});
  plan.connect("sip", trunk.transport == "udp" ? "udp" : "tcp", server.host, server.port,
               server.port, fmt::format("SIP trunk {}", trunk.name), tls ? kTlsPolicy : kPlain);
}

} // namespace

std::vector<PortEntry> port_plan(const core::Config& config,
                                 std::span<const TrunkProvider> trunks) {
  PlanBuilder plan(config);
  if (config.sip.enabled) {
    const auto& sip = config.sip;
    plan.listen("sip", "udp", sip.address, sip.udp_port, "SIP signalling (phones, trunks)");
    plan.forwarded();
    plan.listen("sip", "tcp", sip.address, sip.tcp_port, "SIP signalling (phones, trunks)");
    plan.listen("sip", "tcp", sip.address, sip.tls_port, "SIP over TLS", kTlsPolicy);
    plan.forwarded();
    plan.listen_range("media", "udp", config.media.address, config.media.rtp_port_min,
                      config.media.rtp_port_max, "RTP/RTCP media relay");
    plan.forwarded();
  }
  if (config.http.enabled) {
    const auto& http = config.http;
    plan.listen("http", "tcp", http.address, http.http_port, "web UI (redirects to HTTPS)");
    plan.listen("http", "tcp", http.address, http.https_port,
                "web UI, REST API, address book, live events, chat file uploads", kTlsPolicy);
    plan.forwarded();
  }
  if (config.xmpp.enabled) {
    const auto& xmpp = config.xmpp;
    plan.listen("xmpp", "tcp", xmpp.address, xmpp.starttls_port, "XMPP chat and presence",
                kStartTlsPolicy);
    plan.forwarded();
    plan.listen("xmpp", "tcp", xmpp.address, xmpp.tls_port, "XMPP chat and presence (direct TLS)",
                kTlsPolicy);
    plan.forwarded();
  }
  if (config.provisioning.enabled) {
    const auto& provisioning = config.provisioning;
    plan.listen("provisioning", "tcp", provisioning.address, provisioning.http_port,
                "phone autoprovisioning and XML menus");
    plan.forwarded();
    plan.listen("provisioning", "tcp", provisioning.address, provisioning.https_port,
                "phone autoprovisioning and XML menus", kTlsPolicy);
    plan.forwarded();
    if (provisioning.multicast_pnp) {
      plan.add({"provisioning", "udp", Direction::inbound, std::string(kPnpMulticastGroup),
                kPnpMulticastPort, kPnpMulticastPort,
                "plug-and-play provisioning (multicast SUBSCRIBE)", std::string(kPlain)});
    }
  }
  if (config.federation.enabled) {
    plan.listen("federation", "udp+tcp", config.federation.address, config.federation.port,
                "interconnect of Starling sites", kTlsPolicy);
  }
  // What Starling connects to: only what the configuration and the trunks name (DESIGN.md).
  // LDAP, push and update feeds join this list when they become configurable.
  const auto& network = config.network;
  const auto dns = parse_host_port(network.dns_server, kDnsPort);
  plan.connect("net", "udp+tcp", dns ? dns->host : "system resolver", dns ? dns->port : kDnsPort,
               "DNS (RFC 3263 NAPTR/SRV for trunks)");
  for (const auto& server : network.ntp_servers) {
    if (const auto ntp = parse_host_port(server, kNtpDefaultPort)) {
      plan.connect("net", "udp", ntp->host, ntp->port, "NTP time (clock check)");
    }
  }
  if (const auto stun = parse_host_port(network.stun_server, kStunDefaultPort)) {
    plan.connect("net", "udp", stun->host, stun->port, "STUN, learns the public address");
  }
  if (config.sip.enabled) {
    for (const auto& trunk : trunks) {
      connect_to_trunk(plan, trunk);
    }
    plan.connect("media", "udp", "*", kRtpFirstPeerPort, kRtpLastPeerPort,
                 "RTP/RTCP to phones and providers");
  }
  return plan.take();
}

std::vector<std::string> protocols_of(const PortEntry& entry) {
  if (entry.protocol == "udp+tcp") {
    return {"udp", "tcp"};
  }
  return {entry.protocol};
}

std::string format_port_table(const std::vector<PortEntry>& entries) {
  core::TextTable table({"SERVICE", "PROTO", "DIR", "ADDRESS", "PORT", "PURPOSE", "TLS"});
  for (const auto& entry : entries) {
    const std::string ports = entry.first_port == entry.last_port
                                  ? std::to_string(entry.first_port)
                                  : fmt::format("{}-{}", entry.first_port, entry.last_port);
    table.add_row({entry.service, entry.protocol,
                   entry.direction == Direction::inbound ? "in" : "out", entry.address, ports,
                   entry.purpose, entry.tls});
  }
  return table.render();
}

} // namespace starling::net
