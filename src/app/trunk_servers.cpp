// Where a trunk's requests go.
#include "app/trunk_servers.h"

#include "net/host_port.h"

namespace starling::app {
namespace {

// RFC 3263 §4 starts from the outbound proxy when there is one, else from the domain.
const std::string& next_hop(const store::Trunk& trunk) {
  return trunk.outbound_proxy.empty() ? trunk.domain : trunk.outbound_proxy;
}

} // namespace

net::SipTransport trunk_transport(const store::Trunk& trunk) {
  if (trunk.transport == "tls") {
    return net::SipTransport::tls;
  }
  return trunk.transport == "tcp" ? net::SipTransport::tcp : net::SipTransport::udp;
}

net::SipServerName trunk_server_name(const store::Trunk& trunk) {
  const std::string& text = next_hop(trunk);
  net::SipServerName name{text, std::nullopt, trunk_transport(trunk), false};
  if (auto parsed = net::parse_host_port(text, 0)) {
    name.host = parsed->host;
    if (parsed->port != 0) {
      name.port = parsed->port;
    }
  }
  return name;
}

std::vector<net::TrunkProvider> trunk_providers(CommandContext& context) {
  std::vector<net::TrunkProvider> providers;
  for (const auto& trunk : checked(context.store().list_trunks())) {
    if (trunk.enabled) {
      providers.push_back({trunk.name, next_hop(trunk), trunk.transport});
    }
  }
  return providers;
}

} // namespace starling::app
