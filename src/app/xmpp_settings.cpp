// The XMPP service's settings, and the secret it keeps in the data directory.
#include "app/xmpp_settings.h"

#include <filesystem>
#include <fstream>
#include <iterator>

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
  auto secret = load_or_create_secret(config.data_dir / "xmpp" / "scram-salt.key");
  if (!secret) {
    return std::unexpected("xmpp: " + secret.error());
  }
  settings.fake_salt_secret = std::move(*secret);
  return settings;
}

} // namespace starling::app
