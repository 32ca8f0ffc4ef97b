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
#include "app/command_context.h"
#include "app/sip_settings.h"
#include "net/tls_context.h"

namespace starling::app {

Server::Server(const core::Config& config, store::Store& store, directory::Directory& directory)
    : config_(config), store_(store), directory_(directory), credentials_(store),
      credentials_timer_(io_) {}

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
      credentials_.refresh();
      refresh_credentials_every_second();
    }
  });
}

void Server::start_sip() {
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

  auto saved = store_.list_bindings();
  if (!saved) {
    throw CommandFailure(kExitFailure, saved.error().message);
  }
  credentials_.refresh();
  refresh_credentials_every_second();
  binding_writer_ = std::make_unique<sip::StoreBindingWriter>(store_, io_);
  sip_ = std::make_unique<sip::SipService>(io_, sip_settings(config_),
                                           sip::TlsContexts{&*tls_server_, nullptr}, clock_,
                                           metrics_, events_, credentials_, *binding_writer_);
  if (auto started = sip_->start(*saved); !started) {
    throw CommandFailure(kExitFailure, started.error().message);
  }
}

void Server::stop_services() {
  credentials_timer_.cancel();
  if (sip_) {
    sip_->stop();
  }
  sip_.reset();
  // Writes every registration still queued before the store closes.
  binding_writer_.reset();
}

void Server::run() {
  spdlog::info("starling {} starting; data directory {}", kVersion,
               std::filesystem::absolute(config_.data_dir).string());
  announce_administrator();
  register_process_metrics();
  log_registrations();
  if (config_.sip.enabled) {
    start_sip();
  }

  boost::asio::signal_set stop_signals(io_, SIGINT, SIGTERM);
  stop_signals.async_wait([this](const boost::system::error_code& error, int signal) {
    if (!error) {
      spdlog::info("received {}, stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
      stop_services();
      io_.stop();
    }
  });
  spdlog::info("ready; SIGINT or SIGTERM stops starling");
  io_.run();
  spdlog::info("stopped");
}

} // namespace starling::app
