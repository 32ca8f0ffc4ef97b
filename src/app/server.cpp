// `starling serve`: runs every enabled service until SIGINT or SIGTERM, then stops cleanly.
#include "app/server.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/build_info.h"
#include "app/call_settings.h"
#include "app/command_context.h"
#include "app/http_settings.h"
#include "app/sip_settings.h"
#include "app/upload_settings.h"
#include "app/web_assets.h"
#include "app/xmpp_settings.h"
#include "core/free_memory.h"
#include "net/stun_client.h"
#include "net/tls_context.h"
#include "pbx/call_event.h"

namespace starling::app {

Server::Server(const core::Config& config, store::Store& store, directory::Directory& directory)
    : config_(config), store_(store), directory_(directory), credentials_(store),
      credentials_timer_(io_), stop_timer_(io_) {}

void Server::announce_administrator() {
  const auto password = checked(directory_.ensure_administrator());
  if (!password) {
    spdlog::info("log in with an administrator account; `starling user list` shows them");
    return;
  }
  // stdout, not the log: log files are kept and shipped, and this secret must not be.
  fmt::print(
      "\nStarling created the administrator account on its first start:\n"
      "  user:     admin\n"
      "  password: {}\n"
      "This password is shown only this once. Change it with: starling user passwd admin\n"
      "Add a phone with: starling user add NAME --ext NUMBER, then starling device add NAME\n\n",
      *password);
  std::fflush(stdout);
}

void Server::register_process_metrics() {
  metrics_
      .gauge("starling_build_info", "Version of the running build",
             {{"version", std::string(kVersion)}})
      .set(1);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  metrics_.gauge("starling_start_time_seconds", "Unix time the process started")
      .set(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

void Server::log_registrations() {
  registration_log_ = events_.subscribe<sip::RegistrationEvent>([](const auto& event) {
    static constexpr std::array kWords = {"registered", "refreshed", "unregistered", "expired"};
    spdlog::info("sip: {} {} {} via {} from {}", event.aor,
                 kWords.at(static_cast<std::size_t>(event.kind)), event.contact, event.transport,
                 event.source);
  });
}

void Server::refresh_credentials_every_second() {
  credentials_timer_.expires_after(std::chrono::seconds(1));
  credentials_timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) {
      // The credentials and the dial plan follow the same store revision: they reload
      // together, and the rows and tables they replaced are garbage at once.
      credentials_.refresh();
      const bool reloaded = refresh_dial_plan();
      if (xmpp_) {
        xmpp_->refresh_directory();
      }
      if (reloaded) {
        core::return_free_memory();
      }
      refresh_credentials_every_second();
    }
  });
}

void Server::load_tls_server_context() {
  net::TlsServerSettings tls;
  tls.certificate_chain_file = config_.tls.certificate;
  tls.private_key_file = config_.tls.private_key;
  tls.self_signed_directory = config_.data_dir / "tls";
  tls.hostname = boost::asio::ip::host_name();
  auto context = net::make_tls_server_context(tls);
  if (!context) {
    throw CommandFailure(kExitFailure, context.error().message);
  }
  tls_server_.emplace(std::move(*context));
}

void Server::start_sip() {
  // Outbound TLS is for trunks: providers present certificates of public CAs, checked against
  // the system's trust store unless the operator names the CAs.
  if (auto client =
          net::make_tls_client_context({.verify_peer = true, .ca_file = config_.tls.ca_file})) {
    tls_client_.emplace(std::move(*client));
  } else if (!config_.tls.ca_file.empty()) {
    throw CommandFailure(kExitFailure, "tls.ca_file: " + client.error().message);
  } else {
    spdlog::warn("sip: trunks over TLS cannot connect: {}", client.error().message);
  }

  auto saved = store_.list_bindings();
  if (!saved) {
    throw CommandFailure(kExitFailure, saved.error().message);
  }
  credentials_.refresh();
  refresh_credentials_every_second();
  binding_writer_ = std::make_unique<sip::StoreBindingWriter>(store_, io_);
  make_address_policy();
  sip_ = std::make_unique<sip::SipService>(
      io_, sip_settings(config_),
      sip::TlsContexts{&*tls_server_, tls_client_ ? &*tls_client_ : nullptr}, clock_, metrics_,
      events_, credentials_, *binding_writer_, *addresses_);
  start_calls();
  if (auto started = sip_->start(*saved); !started) {
    throw CommandFailure(kExitFailure, started.error().message);
  }
  if (dial_plan_) {
    trunks_->update(dial_plan_->trunks().trunks());
  }
}

void Server::make_address_policy() {
  const auto& network = config_.network;
  std::optional<boost::asio::ip::address> public_address;
  if (!network.public_address.empty()) {
    public_address = boost::asio::ip::make_address(network.public_address);
  }
  addresses_ = std::make_unique<net::AddressPolicy>(
      network.local_networks,
      boost::asio::ip::make_address(config_.listen_address(config_.sip.address)), public_address);
  if (public_address || network.stun_server.empty()) {
    return;
  }
  net::learn_public_address(
      io_, network.stun_server,
      [this, server = network.stun_server](
          const std::expected<boost::asio::ip::address, std::string>& learned) {
        if (!learned) {
          spdlog::warn("network: cannot learn the public address: {}", learned.error());
          return;
        }
        addresses_->set_public_address(*learned);
        spdlog::info("network: public address {} learned from STUN server {}", learned->to_string(),
                     server);
      });
}

bool Server::refresh_dial_plan() {
  const auto revision = store_.revision();
  if (!revision || (dial_plan_ && dial_plan_revision_ == *revision)) {
    return false;
  }
  auto plan = pbx::DialPlan::load(store_, routing_settings(config_));
  if (!plan) {
    spdlog::error("pbx: cannot read the dial plan, keeping the previous one: {}",
                  plan.error().message);
    return false;
  }
  dial_plan_ = std::move(*plan);
  dial_plan_revision_ = *revision;
  if (trunks_) {
    trunks_->update(dial_plan_->trunks().trunks());
  }
  return true;
}

void Server::start_calls() {
  const auto now = core::unix_seconds(clock_.system_now());
  if (const auto ended = store_.end_active_call_legs(now, "server_stopped"); ended && *ended > 0) {
    spdlog::info("pbx: {} call legs left active by the last run were ended", *ended);
  }
  refresh_dial_plan();
  relay_ = std::make_unique<media::MediaRelay>(relay_settings(config_), metrics_);
  if (auto started = relay_->start(); !started) {
    throw CommandFailure(kExitFailure, started.error());
  }
  spdlog::info("media: relaying RTP on ports {}-{}", config_.media.rtp_port_min,
               config_.media.rtp_port_max);
  call_recorder_ = std::make_unique<pbx::StoreCallRecorder>(store_, metrics_);
  call_timers_ = std::make_unique<sip::AsioTimerService>(io_);
  pbx::CallServices services{*sip_,  *call_timers_,         *relay_, *call_recorder_, events_,
                             clock_, call_settings(config_)};
  trunks_ = std::make_unique<TrunkService>(io_, *sip_, *call_timers_, clock_, store_, metrics_,
                                           TrunkServiceSettings{config_.network.dns_server});
  calls_ = std::make_unique<pbx::CallControl>(
      services, [this] { return dial_plan_; }, *trunks_, do_not_disturb_, metrics_);
  sip_->set_dialog_handler(*calls_);
}

void Server::start_http() {
  active_calls_ = std::make_unique<SipActiveCalls>(
      io_, [this](std::string_view call_id) { return calls_ && calls_->hang_up(call_id); });
  routing_rules_ = std::make_unique<PbxRoutingRules>(config_);
  api_services_ = std::make_unique<api::ApiServices>(api::ApiServices{
      store_, directory_, config_, clock_, metrics_, *active_calls_, *routing_rules_});
  api_ = std::make_unique<api::Api>(*api_services_);
  std::vector<http::Route> routes;
  if (upload_route_) {
    routes.push_back({std::string(xmpp::upload::kUploadPath), upload_route_.get()});
  }
  http_ = std::make_unique<http::HttpServer>(
      http_settings(config_), http::HttpServices{*api_, api_->event_stream_authorizer(),
                                                 web_assets(), metrics_, std::move(routes)});
  if (auto started = http_->start(); !started) {
    throw CommandFailure(kExitFailure, started.error());
  }
  live_events_ = std::make_unique<LiveEventFeed>(events_, store_, *http_, metrics_);
}

void Server::prepare_uploads() {
  const auto xmpp = xmpp_settings(config_);
  if (!xmpp) {
    return; // start_xmpp() says why
  }
  auto settings = upload_settings(config_, xmpp->domain);
  if (!settings) {
    return;
  }
  uploads_ = std::make_unique<xmpp::upload::Uploads>(std::move(*settings), clock_, metrics_);
  auto loaded = uploads_->load();
  if (!loaded) {
    throw CommandFailure(kExitFailure, "xmpp: file upload: " + loaded.error());
  }
  upload_route_ = std::make_unique<XmppUploadRoute>(*uploads_);
  spdlog::info("xmpp: file upload at {}{} ({} files kept)", uploads_->settings().base_url,
               xmpp::upload::kUploadPath, *loaded);
}

void Server::start_xmpp() {
  auto settings = xmpp_settings(config_);
  if (!settings) {
    throw CommandFailure(kExitFailure, settings.error());
  }
  xmpp_ = std::make_unique<xmpp::server::XmppService>(io_, std::move(*settings), *tls_server_,
                                                      store_, clock_, metrics_);
  xmpp_->on_do_not_disturb([this](const std::string& user, bool on) {
    if (on) {
      spdlog::info("xmpp: {} set do not disturb in a chat client: calls to {} are answered busy",
                   user, user);
    } else {
      spdlog::info("xmpp: {} ended do not disturb: calls to {} ring again", user, user);
    }
    do_not_disturb_.set(user, on);
  });
  if (uploads_) {
    xmpp_->serve_uploads(*uploads_);
  }
  if (auto started = xmpp_->start(); !started) {
    throw CommandFailure(kExitFailure, started.error());
  }
  phone_presence_ = events_.subscribe<pbx::CallStateEvent>([this](const auto& call) {
    xmpp_->on_call_state(call.call_id, {call.caller, call.device}, pbx::to_string(call.state));
  });
}

void Server::reload_on_sighup(boost::asio::signal_set& signals) {
  signals.async_wait([this, &signals](const boost::system::error_code& error, int) {
    if (error) {
      return;
    }
    spdlog::info("received SIGHUP, reloading the TLS certificate");
    if (http_) {
      http_->reload_certificate();
    }
    reload_on_sighup(signals);
  });
}

void Server::stop_gracefully() {
  const bool unregistering = trunks_ && trunks_->stop();
  const bool chatting = xmpp_ && xmpp_->stop() > 0;
  const bool calling = calls_ && calls_->active_calls() > 0;
  if (!calling && !unregistering && !chatting) {
    stop_services();
    io_.stop();
    return;
  }
  if (calling) {
    spdlog::info("pbx: hanging up {} calls", calls_->active_calls());
    calls_->hang_up_all();
  }
  // Long enough for the BYEs, unregistrations and XMPP goodbyes to leave, short enough for the 2 s
  // a stop may take.
  stop_timer_.expires_after(std::chrono::milliseconds(300));
  stop_timer_.async_wait([this](const boost::system::error_code&) {
    stop_services();
    io_.stop();
  });
}

void Server::stop_services() {
  credentials_timer_.cancel();
  if (clock_monitor_) {
    clock_monitor_->stop();
  }
  // First: its handlers use the store and the call control below.
  if (http_) {
    http_->stop();
  }
  if (sip_) {
    sip_->stop();
  }
  // Its workers finish writing offline messages before the store closes.
  phone_presence_.reset();
  xmpp_.reset();
  trunks_.reset();
  calls_.reset();
  call_timers_.reset();
  sip_.reset();
  relay_.reset();
  // Writes every call record still queued before the store closes.
  call_recorder_.reset();
  // Writes every registration still queued before the store closes.
  binding_writer_.reset();
}

void Server::run() {
  spdlog::info("starling {} starting; data directory {}", kVersion,
               std::filesystem::absolute(config_.data_dir).string());
  announce_administrator();
  register_process_metrics();
  if (!config_.network.ntp_servers.empty()) {
    clock_monitor_ = std::make_unique<ClockMonitor>(io_, config_.network.ntp_servers, metrics_);
    clock_monitor_->start();
  }
  log_registrations();
  if (config_.sip.enabled || config_.xmpp.enabled) {
    load_tls_server_context();
  }
  if (config_.sip.enabled) {
    start_sip();
  }
  if (config_.xmpp.enabled) {
    prepare_uploads();
  }
  if (config_.http.enabled) {
    start_http();
  }
  if (config_.xmpp.enabled) {
    start_xmpp();
  }

  boost::asio::signal_set stop_signals(io_, SIGINT, SIGTERM);
  stop_signals.async_wait([this](const boost::system::error_code& error, int signal) {
    if (!error) {
      spdlog::info("received {}, stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
      stop_gracefully();
    }
  });
  boost::asio::signal_set reload_signals(io_, SIGHUP);
  reload_on_sighup(reload_signals);
  core::return_free_memory(); // what loading the directory and the bindings left behind
  spdlog::info("ready; SIGINT or SIGTERM stops starling");
  io_.run();
  spdlog::info("stopped");
}

} // namespace starling::app
