// The XMPP service's settings, and the secret it keeps in the data directory.
#include "app/xmpp_settings.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <tuple>

#include <boost/asio/ip/host_name.hpp>
#include <fmt/format.h>
#include <openssl/rand.h>

#include "xmpp/jid.h"
#include "xmpp/sasl/settings.h"

namespace starling::app {

namespace {

constexpr std::size_t kSecretLength = 32;

// The key that makes up SCRAM salts for unknown users. It must survive restarts (a salt
// that changes gives away that the user does not exist), so it is made once and kept.
std::expected<xmpp::sasl::Bytes, std::string>
load_or_create_secret(const std::filesystem::path& file) {
  if (std::ifstream in{file, std::ios::binary}) {
    xmpp::sasl::Bytes secret(std::istreambuf_iterator<char>(in), {});
    if (secret.size() < xmpp::sasl::kMinFakeSaltSecretLength) {
      return std::unexpected(
          fmt::format("{} is shorter than {} bytes; delete it and Starling makes a new one",
                      file.string(), xmpp::sasl::kMinFakeSaltSecretLength));
    }
    return secret;
  }
  std::error_code error;
  std::filesystem::create_directories(file.parent_path(), error);
  xmpp::sasl::Bytes secret(kSecretLength);
  if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
    return std::unexpected("OpenSSL's random generator failed; the SASL secret was not made");
  }
  std::ofstream out{file, std::ios::binary};
  out.write(reinterpret_cast<const char*>(secret.data()),
            static_cast<std::streamsize>(secret.size()));
  out.close();
  if (!out) {
    return std::unexpected(fmt::format("cannot write {}: check that the data directory is "
                                       "writable by the user Starling runs as",
                                       file.string()));
  }
  std::filesystem::permissions(
      file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, error);
  return secret;
}

// "host", "host:port", "[v6 address]:port" or a bare IPv6 address, as the loader checked.
std::expected<xmpp::im::ExternalServer, std::string> external_server(std::string_view key,
                                                                     std::string_view text) {
  xmpp::im::ExternalServer server;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    server.host = std::string(text.substr(1, close - 1));
    if (close + 1 < text.size()) {
      port = text.substr(close + 2);
    }
  } else if (const auto colon = text.find(':');
             colon != std::string_view::npos &&
             text.find(':', colon + 1) == std::string_view::npos) {
    server.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  } else {
    server.host = std::string(text);
  }
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
      return std::unexpected(fmt::format("{}: '{}' has no valid port", key, text));
    }
    server.port = static_cast<std::uint16_t>(value);
  }
  return server;
}

std::expected<xmpp::im::ExternalServicesSettings, std::string>
external_services(const core::XmppConfig& config) {
  xmpp::im::ExternalServicesSettings settings;
  for (const auto& [key, texts, servers] :
       {std::tuple{"xmpp.stun", &config.stun, &settings.stun},
        std::tuple{"xmpp.turn", &config.turn, &settings.turn}}) {
    for (const auto& text : *texts) {
      auto server = external_server(key, text);
      if (!server) {
        return std::unexpected(server.error());
      }
      servers->push_back(std::move(*server));
    }
  }
  if (!settings.turn.empty() && config.turn_secret.empty()) {
    return std::unexpected("xmpp.turn needs xmpp.turn_secret: the secret the TURN server checks "
                           "credentials with (coturn: static-auth-secret)");
  }
  settings.turn_secret = config.turn_secret;
  settings.turn_credential_lifetime = std::chrono::seconds(config.turn_credential_lifetime);
  return settings;
}

} // namespace

std::expected<xmpp::server::XmppSettings, std::string> xmpp_settings(const core::Config& config) {
  xmpp::server::XmppSettings settings;
  const auto& domain =
      config.xmpp.domain.empty() ? boost::asio::ip::host_name() : config.xmpp.domain;
  const auto jid = xmpp::Jid::parse(domain);
  if (!jid || !jid->local().empty() || !jid->is_bare()) {
    return std::unexpected(
        fmt::format("xmpp.domain '{}' is not a domain name; set it to the name clients log in to, "
                    "e.g. pbx.example.com",
                    domain));
  }
  settings.domain = jid->domain();
  // The loader has checked that the address parses.
  settings.address = boost::asio::ip::make_address(config.listen_address(config.xmpp.address));
  settings.starttls_port = config.listen_port(config.xmpp.starttls_port);
  settings.tls_port = config.listen_port(config.xmpp.tls_port);
  settings.archive_retention = std::chrono::days(config.xmpp.archive_retention_days);
  settings.resumption_timeout = std::chrono::seconds(config.xmpp.resumption_timeout);
  settings.colleagues_roster = config.xmpp.colleagues_roster;
  settings.bans.max_failures = config.xmpp.ban_failures;
  settings.bans.window = std::chrono::seconds(config.xmpp.ban_window);
  settings.bans.ban_duration = std::chrono::seconds(config.xmpp.ban_time);
  auto services = external_services(config.xmpp);
  if (!services) {
    return std::unexpected(services.error());
  }
  settings.external_services = std::move(*services);
  auto secret = load_or_create_secret(config.data_dir / "xmpp" / "scram-salt.key");
  if (!secret) {
    return std::unexpected("xmpp: " + secret.error());
  }
  settings.fake_salt_secret = std::move(*secret);
  return settings;
}

} // namespace starling::app
