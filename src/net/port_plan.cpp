// Every port Starling listens on or connects to, derived from the effective configuration.
#include "net/port_plan.h"

#include <fmt/format.h>

#include "core/text_table.h"

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
  void connect(std::string_view service, std::string_view protocol, std::uint16_t first,
               std::uint16_t last, std::string_view purpose, std::string_view tls = kPlain) {
    entries_.push_back({std::string(service), std::string(protocol), Direction::outbound, "*",
                        first, last, std::string(purpose), std::string(tls)});
  }
  // An entry at a fixed, well-known address that the port offset does not move.
  void add(PortEntry entry) { entries_.push_back(std::move(entry)); }
  std::vector<PortEntry> take() { return std::move(entries_); }

private:
  const core::Config& config_;
  std::vector<PortEntry> entries_;
};

} // namespace

std::vector<PortEntry> port_plan(const core::Config& config) {
  PlanBuilder plan(config);
  if (config.sip.enabled) {
    const auto& sip = config.sip;
    plan.listen("sip", "udp", sip.address, sip.udp_port, "SIP signalling (phones, trunks)");
    plan.listen("sip", "tcp", sip.address, sip.tcp_port, "SIP signalling (phones, trunks)");
    plan.listen("sip", "tcp", sip.address, sip.tls_port, "SIP over TLS", kTlsPolicy);
    plan.listen_range("media", "udp", config.media.address, config.media.rtp_port_min,
                      config.media.rtp_port_max, "RTP/RTCP media relay");
  }
  if (config.http.enabled) {
    const auto& http = config.http;
    plan.listen("http", "tcp", http.address, http.http_port, "web UI (redirects to HTTPS)");
    plan.listen("http", "tcp", http.address, http.https_port,
                "web UI, REST API, address book, live events", kTlsPolicy);
  }
  if (config.xmpp.enabled) {
    const auto& xmpp = config.xmpp;
    plan.listen("xmpp", "tcp", xmpp.address, xmpp.starttls_port, "XMPP chat and presence",
                kStartTlsPolicy);
    plan.listen("xmpp", "tcp", xmpp.address, xmpp.tls_port, "XMPP chat and presence (direct TLS)",
                kTlsPolicy);
  }
  if (config.provisioning.enabled) {
    const auto& provisioning = config.provisioning;
    plan.listen("provisioning", "tcp", provisioning.address, provisioning.http_port,
                "phone autoprovisioning and XML menus");
    plan.listen("provisioning", "tcp", provisioning.address, provisioning.https_port,
                "phone autoprovisioning and XML menus", kTlsPolicy);
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
  // What Starling connects to. None of it is contacted until configured (DESIGN.md).
  plan.connect("net", "udp+tcp", 53, 53, "DNS, RFC 3263 NAPTR/SRV for trunks");
  plan.connect("net", "udp", 123, 123, "NTP time");
  plan.connect("directory", "tcp", 389, 389, "LDAP / Active Directory", kStartTlsPolicy);
  plan.connect("directory", "tcp", 636, 636, "LDAPS / Active Directory", kTlsPolicy);
  plan.connect("sip", "udp+tcp", 5060, 5061, "SIP providers (trunks)");
  plan.connect("media", "udp", 1025, 65535, "RTP/RTCP to phones and providers");
  plan.connect("http", "tcp", 443, 443, "push notifications and update feed", kTlsPolicy);
  return plan.take();
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
