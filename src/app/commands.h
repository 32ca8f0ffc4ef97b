// The subcommands of `starling`, each added to the command line by one function.
#pragma once

#include <CLI/CLI.hpp>

#include "app/command_context.h"

namespace starling::app {

void add_serve_command(CLI::App& app, CommandContext& context);
void add_user_commands(CLI::App& app, CommandContext& context);
void add_device_commands(CLI::App& app, CommandContext& context);
void add_extension_commands(CLI::App& app, CommandContext& context);
void add_group_commands(CLI::App& app, CommandContext& context);
void add_ports_command(CLI::App& app, CommandContext& context);
void add_firewall_command(CLI::App& app, CommandContext& context);
void add_doctor_command(CLI::App& app, CommandContext& context);
void add_registration_commands(CLI::App& app, CommandContext& context);
void add_call_commands(CLI::App& app, CommandContext& context);
void add_trunk_commands(CLI::App& app, CommandContext& context);
void add_version_command(CLI::App& app);

} // namespace starling::app
