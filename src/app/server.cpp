// `starling serve`: runs every enabled service until SIGINT or SIGTERM, then stops cleanly.
#include "app/server.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/build_info.h"
#include "app/command_context.h"

namespace starling::app {

Server::Server(const core::Config& config, directory::Directory& directory)
    : config_(config), directory_(directory) {}

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
      "This password is shown only this once. Change it with: starling user passwd admin\n\n",
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

void Server::run() {
  spdlog::info("starling {} starting; data directory {}", kVersion,
               std::filesystem::absolute(config_.data_dir).string());
  announce_administrator();
  register_process_metrics();

  boost::asio::signal_set stop_signals(io_, SIGINT, SIGTERM);
  stop_signals.async_wait([this](const boost::system::error_code& error, int signal) {
    if (!error) {
      spdlog::info("received {}, stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
      io_.stop();
    }
  });
  spdlog::info("ready; SIGINT or SIGTERM stops starling");
  io_.run();
  spdlog::info("stopped");
}

} // namespace starling::app
