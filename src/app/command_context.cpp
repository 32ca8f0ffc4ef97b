// What every subcommand shares: the configuration, the store and the directory, each
// opened on first use, and the way a command reports failure.
#include "app/command_context.h"

#include "core/config_loader.h"
#include "core/logging.h"
#include "store/open_store.h"

namespace starling::app {

CommandContext::CommandContext() = default;
CommandContext::~CommandContext() = default;

const core::Config& CommandContext::config() {
  if (!config_) {
    std::expected<core::Config, core::ConfigError> loaded =
        config_path.empty() ? core::Config{} : core::load_config_file(config_path);
    if (!loaded) {
      throw CommandFailure(kExitUsage, loaded.error().to_string());
    }
    config_ = std::move(*loaded);
    core::setup_logging(config_->log.level, config_->log.format);
  }
  return *config_;
}

store::Store& CommandContext::store() {
  if (!store_) {
    const auto& settings = config();
    auto opened = store::open_store(settings.store, settings.data_dir);
    if (!opened) {
      throw CommandFailure(kExitFailure, opened.error().message);
    }
    store_ = std::move(*opened);
  }
  return *store_;
}

directory::Directory& CommandContext::directory() {
  if (!directory_) {
    directory_ = std::make_unique<directory::Directory>(store(), config().sip.realm);
  }
  return *directory_;
}

void CommandContext::close_store() {
  directory_.reset();
  store_.reset();
}

} // namespace starling::app
