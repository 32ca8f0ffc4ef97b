// The XMPP chat and presence service (RFC 6120, RFC 6121): client connections on the
// STARTTLS port (5222) and the direct-TLS port (5223), for Starling's users.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "core/ban_list.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "store/store.h"
#include "xmpp/im/do_not_disturb_watch.h"
#include "xmpp/im/external_services.h"
#include "xmpp/sasl/scram_crypto.h"
#include "xmpp/server/client_connection.h"
#include "xmpp/server/phone_calls.h"
#include "xmpp/server/service_state.h"
#include "xmpp/upload/uploads.h"

namespace starling::xmpp::server {

struct XmppSettings {
  std::string domain; // the XMPP domain, e.g. the server's host name
  boost::asio::ip::address address;
  std::uint16_t starttls_port = 5222;
  std::uint16_t tls_port = 5223;
  // Stable across restarts (see sasl::SaslSettings::fake_salt_secret).
  sasl::Bytes fake_salt_secret;
  // Archived messages (XEP-0313) older than this are deleted; zero keeps them forever.
  std::chrono::days archive_retention{365};
  // XEP-0198 §5: how long a lost connection's session may be resumed.
  std::chrono::seconds resumption_timeout = c2s::kDefaultResumptionTimeout;
  // Every colleague in the directory on every roster (im::DirectoryRoster::share_colleagues).
  bool colleagues_roster = true;
  // Sources guessing passwords (failed SASL logins) are banned a while.
  core::BanPolicy bans;
  // STUN servers and TURN relays offered to clients (XEP-0215); none by default.
  im::ExternalServicesSettings external_services;
};

// Runs on one thread of `io`; blocking work (password checks, the store's writes) goes to
// worker threads of its own.
class XmppService {
public:
  // `tls`, `store`, `clock` and `metrics` must outlive the service.
  XmppService(boost::asio::io_context& io, XmppSettings settings, boost::asio::ssl::context& tls,
              store::Store& store, const core::Clock& clock, core::MetricsRegistry& metrics);
  XmppService(const XmppService&) = delete;
  XmppService& operator=(const XmppService&) = delete;
  ~XmppService();

  // Reads the directory and the offline messages, then opens both ports. The error says
  // which port or what in the store failed.
  std::expected<void, std::string> start();
  // Reads the directory again when the store says it changed: rosters follow the users.
  void refresh_directory();
  // Offers file upload (XEP-0363) at upload.DOMAIN, with the files in `uploads`, which must
  // outlive the service and whose HTTP half the web server serves. Call before start().
  void serve_uploads(upload::Uploads& uploads);
  // A call's state changed ("ringing", "connected", "held", "ended"); `devices` are the SIP
  // devices in it (auth names; other parties, e.g. trunk numbers, are ignored). Their users'
  // presence shows that they are on the phone.
  void on_call_state(const std::string& call_id, const std::vector<std::string>& devices,
                     std::string_view state);
  // `listener` learns when a user switches do not disturb on or off in their chat clients
  // (im::DoNotDisturbWatch), on the service's thread. Set before start().
  void on_do_not_disturb(im::DoNotDisturbWatch::Listener listener);
  // Closes the ports and ends every stream with system-shutdown; returns how many were open
  // (their goodbyes need the io_context to run a moment longer).
  std::size_t stop();

  [[nodiscard]] std::uint16_t starttls_port() const;
  [[nodiscard]] std::uint16_t tls_port() const;
  [[nodiscard]] im::Router& router() { return state_->router; }

private:
  void accept(boost::asio::ip::tcp::acceptor& acceptor, Port port);

  boost::asio::io_context& io_;
  XmppSettings settings_;
  store::Store& store_;
  std::shared_ptr<ServiceState> state_;
  std::optional<std::uint64_t> directory_revision_;
  std::map<std::string, std::string, std::less<>> device_owners_; // auth name → user name
  std::set<std::string> usernames_; // the directory's users at the last refresh
  PhoneCalls phone_calls_;
  std::optional<boost::asio::ip::tcp::acceptor> starttls_acceptor_;
  std::optional<boost::asio::ip::tcp::acceptor> tls_acceptor_;
};

} // namespace starling::xmpp::server
