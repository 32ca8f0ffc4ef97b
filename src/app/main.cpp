// The `starling` command: parses the command line and runs one subcommand.
#include <csignal>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/commands.h"

namespace {

int run(int argc, char** argv) {
  using namespace starling::app;
  CLI::App app("Starling: an open-source PBX with SIP, chat, presence and provisioning",
               "starling");
  app.require_subcommand(1);
  app.fallthrough(); // lets `starling user list --config f` work as well as before `user`
  CommandContext context;
  app.add_option("-c,--config", context.config_path,
                 "Configuration file (default: none, built-in defaults)");

  add_serve_command(app, context);
  add_user_commands(app, context);
  add_device_commands(app, context);
  add_extension_commands(app, context);
  add_group_commands(app, context);
  add_ports_command(app, context);
  add_firewall_command(app, context);
  add_doctor_command(app, context);
  add_registration_commands(app, context);
  add_call_commands(app, context);
  add_trunk_commands(app, context);
  add_version_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  } catch (const CommandFailure& failure) {
    fmt::print(stderr, "starling: {}\n", failure.what());
    return failure.exit_code();
  }
  return kExitOk;
}

} // namespace

int main(int argc, char** argv) {
  // OpenSSL writes to TLS sockets (XMPP's connections, the doctor's probes) with write(2),
  // which raises SIGPIPE when the peer has already gone, and SIGPIPE ends the process. The
  // write's EPIPE error, which every caller handles, is all that should happen.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    // A broken invariant, not bad input: say so plainly rather than abort without a word.
    fmt::print(stderr, "starling: internal error: {}\n", error.what());
    return starling::app::kExitFailure;
  }
}
