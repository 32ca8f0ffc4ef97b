// The running SIP trunks: registrations at providers and DNS for their servers.
#include "app/trunk_service.h"

#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/trunk_servers.h"
#include "net/host_port.h"
#include "sip/transport/flow.h"

namespace starling::app {
namespace {

sip::TransportKind transport_kind(net::SipTransport transport) {
  switch (transport) {
  case net::SipTransport::tcp:
    return sip::TransportKind::tcp;
  case net::SipTransport::tls:
    return sip::TransportKind::tls;
  case net::SipTransport::udp:
    break;
  }
  return sip::TransportKind::udp;
}

// Over TLS the provider proves to be the host the trunk names (RFC 5922 §4.1): its domain
// or outbound proxy as configured, not the SRV target a DNS answer led to.
std::vector<sip::Destination> destinations(const net::SipServerName& located,
                                           const std::vector<net::SipServerTarget>& targets) {
  std::vector<sip::Destination> converted;
  converted.reserve(targets.size());
  for (const auto& target : targets) {
    const bool tls = target.transport == net::SipTransport::tls;
    converted.push_back({sip::flow_number(transport_kind(target.transport), sip::kNoConnection),
                         target.address, target.port, tls ? located.host : std::string()});
  }
  return converted;
}

// The settings a registration is made of; others (routes, codecs) do not restart it.
bool same_registration(const store::Trunk& a, const store::Trunk& b) {
  return a.domain == b.domain && a.outbound_proxy == b.outbound_proxy &&
         a.transport == b.transport && a.username == b.username &&
         a.auth_username == b.auth_username && a.password == b.password && a.expires == b.expires;
}

// The domain without a port: the host part of the address-of-record.
std::string domain_host(const store::Trunk& trunk) {
  auto parsed = net::parse_host_port(trunk.domain, 0);
  return parsed ? parsed->host : trunk.domain;
}

} // namespace

TrunkService::TrunkService(boost::asio::io_context& io, sip::Signalling& signalling,
                           sip::TimerService& timers, const core::Clock& clock, store::Store& store,
                           core::MetricsRegistry& metrics, const TrunkServiceSettings& settings)
    : signalling_(signalling), timers_(timers), clock_(clock), store_(store), metrics_(metrics),
      locator_(io, settings.dns_server, settings.dns_timeout, clock) {}

TrunkService::~TrunkService() {
  registrations_.clear();
  status_writer_.join();
}

void TrunkService::update(const std::vector<store::Trunk>& trunks) {
  std::erase_if(registrations_, [&](const auto& entry) {
    const auto kept = std::ranges::find_if(trunks, [&](const store::Trunk& trunk) {
      return trunk.name == entry.first && trunk.enabled &&
             trunk.kind == store::TrunkKind::registration &&
             same_registration(trunk, entry.second.trunk);
    });
    if (kept == trunks.end()) {
      spdlog::info("trunk {}: registration stopped", entry.first);
      entry.second.client->stop();
      return true;
    }
    return false;
  });
  for (const auto& trunk : trunks) {
    if (trunk.enabled && trunk.kind == store::TrunkKind::registration &&
        !registrations_.contains(trunk.name)) {
      start_registration(trunk);
    }
  }
}

void TrunkService::start_registration(const store::Trunk& trunk) {
  const std::string host = domain_host(trunk);
  const std::string parameters =
      trunk.transport == "udp" ? "" : fmt::format(";transport={}", trunk.transport);
  sip::RegistrationSettings settings;
  settings.registrar = fmt::format("sip:{}{}", trunk.domain, parameters);
  settings.aor = fmt::format("sip:{}@{}", trunk.username, host);
  settings.credentials = {
      trunk.auth_username.empty() ? trunk.username : trunk.auth_username, trunk.password, {}};
  settings.expires = std::chrono::seconds(trunk.expires);

  auto& registration = registrations_[trunk.name];
  registration.trunk = trunk;
  registration.registered =
      &metrics_.gauge("starling_trunk_registered", "1 while a trunk is registered at its provider",
                      {{"trunk", trunk.name}});
  const std::string name = trunk.name;
  sip::RegistrationServices services{signalling_, timers_, clock_,
                                     [this, name](auto found) { locate_registrar(name, found); }};
  registration.client = std::make_unique<sip::RegistrationClient>(
      std::move(services), std::move(settings),
      [this, name](const sip::RegistrationStatus& status) { on_status(name, status); });
  spdlog::info("trunk {}: registering at {} as {}", trunk.name, trunk.domain, trunk.username);
  registration.client->start();
}

void TrunkService::locate_registrar(const std::string& trunk,
                                    const std::function<void(sip::DestinationList)>& found) {
  const auto entry = registrations_.find(trunk);
  if (entry == registrations_.end()) {
    return;
  }
  const net::SipServerName server = trunk_server_name(entry->second.trunk);
  locator_.resolve(server, [this, trunk, server, found](net::SipLocation location) {
    if (!location) {
      found(std::unexpected(location.error()));
      return;
    }
    auto servers = destinations(server, *location);
    // Calls for the account come from where it registered.
    if (const auto registered = registrations_.find(trunk); registered != registrations_.end()) {
      registered->second.servers = servers;
    }
    found(std::move(servers));
  });
}

void TrunkService::on_status(const std::string& trunk, const sip::RegistrationStatus& status) {
  const auto entry = registrations_.find(trunk);
  if (entry != registrations_.end() && entry->second.registered != nullptr) {
    entry->second.registered->set(status.state == sip::RegistrationState::registered ? 1 : 0);
  }
  if (status.state == sip::RegistrationState::failing) {
    spdlog::warn("trunk {}: registration failing: {}", trunk, status.reason);
  } else {
    spdlog::info("trunk {}: {}", trunk, sip::to_string(status.state));
  }
  store::TrunkStatus saved{trunk, std::string(sip::to_string(status.state)), status.reason,
                           core::unix_seconds(clock_.system_now()), 0};
  if (status.expires_at) {
    saved.expires_at = core::unix_seconds(*status.expires_at);
  }
  save_status(std::move(saved));
}

void TrunkService::save_status(store::TrunkStatus status) {
  boost::asio::post(status_writer_, [&store = store_, status = std::move(status)] {
    if (auto saved = store.save_trunk_status(status); !saved) {
      spdlog::warn("trunk {}: cannot save its state: {}", status.trunk, saved.error().message);
    }
  });
}

bool TrunkService::stop() {
  bool unregistering = false;
  for (auto& [name, registration] : registrations_) {
    // Only a binding that exists, or may be about to, is taken back (RegistrationClient::stop).
    const auto state = registration.client->status().state;
    unregistering = unregistering || state == sip::RegistrationState::registered ||
                    state == sip::RegistrationState::registering;
    registration.client->stop();
  }
  return unregistering;
}

void TrunkService::locate(const store::Trunk& trunk, Located done) {
  const net::SipServerName server = trunk_server_name(trunk);
  locator_.resolve(
      server, [name = trunk.name, server, done = std::move(done)](net::SipLocation location) {
        if (!location) {
          spdlog::warn("trunk {}: cannot find its servers: {}", name, location.error());
          done({});
          return;
        }
        done(destinations(server, *location));
      });
}

std::optional<std::string> TrunkService::registered_trunk_at(const sip::Destination& source) const {
  // Over TCP and TLS the provider's requests come on a connection it opened, from a port of
  // its choosing (RFC 3261 §18): only its address can be recognised there.
  const bool port_known = !sip::is_reliable(source);
  for (const auto& [name, registration] : registrations_) {
    for (const auto& server : registration.servers) {
      if (server.address == source.address && (!port_known || server.port == source.port)) {
        return name;
      }
    }
  }
  return std::nullopt;
}

} // namespace starling::app
