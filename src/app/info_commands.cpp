// `starling ports` and `starling version`: what this build is and which ports it needs.
#include <vector>

#include <fmt/format.h>

#include "app/build_info.h"
#include "app/commands.h"
#include "app/trunk_servers.h"
#include "net/port_plan.h"

namespace starling::app {

void add_ports_command(CLI::App& app, CommandContext& context) {
  app.add_subcommand("ports",
                     "Print every port Starling listens on or connects to, for this configuration")
      ->callback([&context] {
        fmt::print("{}", net::format_port_table(
                             net::port_plan(context.config(), trunk_providers(context))));
      });
}

void add_version_command(CLI::App& app) {
  app.add_subcommand("version", "Print the version of this build")->callback([] {
    fmt::print("starling {} ({} build, {})\n", kVersion, kBuildType, kCompiler);
  });
}

} // namespace starling::app
