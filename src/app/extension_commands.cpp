// `starling ext add|list|del`: the numbers that reach users and groups.
#include <fmt/format.h>

#include "app/commands.h"
#include "core/text_table.h"

namespace starling::app {
namespace {

struct ExtensionAddOptions {
  std::string number;
  std::string user;
  std::string group;
};

void extension_add(CommandContext& context, const ExtensionAddOptions& options) {
  auto optional = [](const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string_view>(text);
  };
  const auto added = checked(context.directory().add_extension(
      options.number, optional(options.user), optional(options.group)));
  fmt::print("Extension {} now reaches {} {}.\n", added.number, added.user_id ? "user" : "group",
             added.target_name);
}

void extension_list(CommandContext& context) {
  core::TextTable table({"NUMBER", "KIND", "TARGET"});
  for (const auto& extension : checked(context.directory().extensions())) {
    table.add_row({extension.number, extension.user_id ? "user" : "group", extension.target_name});
  }
  fmt::print("{}", table.render());
}

} // namespace

void add_extension_commands(CLI::App& app, CommandContext& context) {
  auto* ext = app.add_subcommand("ext", "Add, list and remove extension numbers");
  ext->require_subcommand(1);

  auto options = std::make_shared<ExtensionAddOptions>();
  auto* add = ext->add_subcommand("add", "Give a user or a group an extension number");
  add->add_option("number", options->number, "1 to 15 digits")->required();
  auto* user = add->add_option("--user", options->user, "The user it reaches");
  auto* group = add->add_option("--group", options->group, "The group it reaches");
  user->excludes(group);
  add->callback([&context, options] { extension_add(context, *options); });

  ext->add_subcommand("list", "List extension numbers and where they lead")->callback([&context] {
    extension_list(context);
  });

  auto number = std::make_shared<std::string>();
  auto* del = ext->add_subcommand("del", "Remove an extension number");
  del->add_option("number", *number, "The extension number")->required();
  del->callback([&context, number] {
    checked(context.directory().remove_extension(*number));
    fmt::print("Removed extension {}.\n", *number);
  });
}

} // namespace starling::app
