// `starling serve`: the long-running process.
#include "app/commands.h"
#include "app/server.h"

namespace starling::app {

void add_serve_command(CLI::App& app, CommandContext& context) {
  app.add_subcommand("serve", "Run every enabled service until SIGINT or SIGTERM")
      ->callback([&context] {
        Server server(context.config(), context.store(), context.directory());
        server.run();
        // Closing the store checkpoints the WAL, so the database file is whole on its own.
        context.close_store();
      });
}

} // namespace starling::app
