// `starling device add|list|del`: SIP accounts (phones, softphones, apps) of users.
#include <fmt/format.h>

#include "app/commands.h"
#include "app/password_input.h"
#include "core/text_table.h"

namespace starling::app {
namespace {

struct DeviceAddOptions {
  std::string user;
  std::string name;
  std::string description;
  bool password_stdin = false;
};

void device_add(CommandContext& context, const DeviceAddOptions& options) {
  directory::NewDeviceRequest request{options.user, std::nullopt, std::nullopt,
                                      options.description};
  if (!options.name.empty()) {
    request.auth_name = options.name;
  }
  if (options.password_stdin) {
    request.password = read_password_from_stdin();
  }
  const auto created = checked(context.directory().add_device(request));
  fmt::print("Added device {} for {}.\n", created.row.auth_name, created.row.user_name);
  fmt::print("SIP username: {}\nRealm: {}\n", created.row.auth_name, created.row.realm);
  if (created.generated_password) {
    fmt::print("SIP password (shown only this once): {}\n", *created.generated_password);
  }
}

void device_list(CommandContext& context) {
  core::TextTable table({"NAME", "USER", "REALM", "DESCRIPTION"});
  for (const auto& device : checked(context.directory().devices())) {
    table.add_row({device.auth_name, device.user_name, device.realm, device.description});
  }
  fmt::print("{}", table.render());
}

} // namespace

void add_device_commands(CLI::App& app, CommandContext& context) {
  auto* device = app.add_subcommand(
      "device", "Add, list and remove devices: the SIP accounts of a user's phones");
  device->require_subcommand(1);

  auto options = std::make_shared<DeviceAddOptions>();
  auto* add = device->add_subcommand(
      "add", "Add a SIP account for a user; prints a generated password once");
  add->add_option("user", options->user, "The user the device belongs to")->required();
  add->add_option("--name", options->name,
                  "SIP username (default: the user's name, or name-2, name-3 …)");
  add->add_option("--description", options->description, "e.g. \"desk phone\"");
  add->add_flag("--password-stdin", options->password_stdin,
                "Read the SIP password from the first line of standard input");
  add->callback([&context, options] { device_add(context, *options); });

  device->add_subcommand("list", "List devices with their user")->callback([&context] {
    device_list(context);
  });

  auto name = std::make_shared<std::string>();
  auto* del = device->add_subcommand("del", "Remove a device; it can no longer register");
  del->add_option("name", *name, "SIP username of the device")->required();
  del->callback([&context, name] {
    checked(context.directory().remove_device(*name));
    fmt::print("Removed device {}.\n", *name);
  });
}

} // namespace starling::app
