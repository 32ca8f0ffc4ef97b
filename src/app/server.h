// `starling serve`: runs every enabled service until SIGINT or SIGTERM, then stops cleanly.
#pragma once

#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "api/api.h"
#include "app/active_calls.h"
#include "app/clock_monitor.h"
#include "app/directory_credentials.h"
#include "app/live_event_feed.h"
#include "app/routing_rules.h"
#include "app/trunk_service.h"
#include "app/xmpp_upload_route.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/event_bus.h"
#include "core/metrics.h"
#include "directory/directory.h"
#include "http/http_server.h"
#include "media/media_relay.h"
#include "net/address_policy.h"
#include "pbx/call_control.h"
#include "pbx/dial_plan.h"
#include "pbx/do_not_disturb.h"
#include "pbx/store_call_recorder.h"
#include "sip/registrar/store_binding_writer.h"
#include "sip/sip_service.h"
#include "sip/transaction/asio_timer_service.h"
#include "store/store.h"
#include "xmpp/server/xmpp_service.h"
#include "xmpp/upload/uploads.h"

namespace starling::app {

class Server {
public:
  Server(const core::Config& config, store::Store& store, directory::Directory& directory);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  Server(Server&&) = delete;
  Server& operator=(Server&&) = delete;
  // Members go in reverse order: SIP first, then the writer flushes queued registrations.
  ~Server() = default;

  // Blocks until a stop signal has been handled and every service has stopped. Throws
  // CommandFailure when a service cannot start (a port in use, an unreadable certificate).
  void run();

private:
  void announce_administrator();
  void register_process_metrics();
  // The certificate every TLS port presents (SIP, XMPP).
  void load_tls_server_context();
  void start_sip();
  void start_calls();
  // The web UI and the REST API on their own threads (ports 80 and 443).
  void start_http();
  // Chat and presence on ports 5222 and 5223.
  void start_xmpp();
  // XMPP file upload (XEP-0363): the files kept from earlier runs, before the web server
  // and the XMPP service that share them start.
  void prepare_uploads();
  // SIGHUP: certificates are read again (the HTTPS port's; open connections keep theirs).
  void reload_on_sighup(boost::asio::signal_set& signals);
  // Which address peers are told: the local one, or the public one (configured or from STUN).
  void make_address_policy();
  // Reloads the dial plan when the store changed (a user, device, extension, trunk or route
  // was edited), and has the trunks registered as it says.
  // Whether a new plan was loaded (the store changed, or the first call).
  bool refresh_dial_plan();
  void log_registrations();
  void refresh_credentials_every_second();
  // Hangs up every call, then stops the services once the BYEs are out.
  void stop_gracefully();
  void stop_services();

  const core::Config& config_;
  store::Store& store_;
  directory::Directory& directory_;
  core::SteadyClock clock_;
  core::MetricsRegistry metrics_;
  core::EventBus events_;
  boost::asio::io_context io_;
  DirectoryCredentials credentials_;
  boost::asio::steady_timer credentials_timer_;
  std::optional<boost::asio::ssl::context> tls_server_;
  std::optional<boost::asio::ssl::context> tls_client_;
  std::unique_ptr<sip::StoreBindingWriter> binding_writer_;
  std::unique_ptr<net::AddressPolicy> addresses_;
  // Set when network.ntp_servers names any.
  std::unique_ptr<ClockMonitor> clock_monitor_;
  std::unique_ptr<pbx::StoreCallRecorder> call_recorder_;
  std::unique_ptr<media::MediaRelay> relay_;
  std::unique_ptr<sip::SipService> sip_;
  std::unique_ptr<sip::AsioTimerService> call_timers_;
  std::unique_ptr<TrunkService> trunks_;
  // Set from chat clients, read by call control: both go before it.
  pbx::DoNotDisturb do_not_disturb_;
  std::unique_ptr<pbx::CallControl> calls_;
  std::shared_ptr<const pbx::DialPlan> dial_plan_;
  std::optional<std::uint64_t> dial_plan_revision_;
  boost::asio::steady_timer stop_timer_;
  std::unique_ptr<SipActiveCalls> active_calls_;
  std::unique_ptr<PbxRoutingRules> routing_rules_;
  std::unique_ptr<api::ApiServices> api_services_;
  std::unique_ptr<api::Api> api_;
  // Before http_ and xmpp_, which use them until they stop.
  std::unique_ptr<xmpp::upload::Uploads> uploads_;
  std::unique_ptr<XmppUploadRoute> upload_route_;
  std::unique_ptr<http::HttpServer> http_;
  std::unique_ptr<xmpp::server::XmppService> xmpp_;
  // After http_, so that it stops publishing before the server it publishes to goes.
  std::unique_ptr<LiveEventFeed> live_events_;
  core::EventBus::Subscription registration_log_;
  // Calls shown in XMPP presence; reset before xmpp_ goes.
  core::EventBus::Subscription phone_presence_;
};

} // namespace starling::app
