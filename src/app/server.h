// `starling serve`: runs every enabled service until SIGINT or SIGTERM, then stops cleanly.
#pragma once

#include <boost/asio/io_context.hpp>

#include "core/config.h"
#include "core/metrics.h"
#include "directory/directory.h"

namespace starling::app {

class Server {
public:
  Server(const core::Config& config, directory::Directory& directory);

  // Blocks until a stop signal has been handled and every service has stopped.
  void run();

private:
  void announce_administrator();
  void register_process_metrics();

  const core::Config& config_;
  directory::Directory& directory_;
  core::MetricsRegistry metrics_;
  boost::asio::io_context io_;
};

} // namespace starling::app
