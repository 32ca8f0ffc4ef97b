// `starling group add|list|del|add-member|remove-member`: groups of users.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/commands.h"
#include "core/text_table.h"

namespace starling::app {
namespace {

struct MembershipOptions {
  std::string group;
  std::string user;
};

void group_list(CommandContext& context) {
  core::TextTable table({"NAME", "DISPLAY NAME", "MEMBERS"});
  for (const auto& group : checked(context.directory().groups())) {
    table.add_row(
        {group.name, group.display_name, fmt::format("{}", fmt::join(group.member_names, ","))});
  }
  fmt::print("{}", table.render());
}

void add_membership_command(CLI::App& group, CommandContext& context, bool add) {
  auto options = std::make_shared<MembershipOptions>();
  auto* command =
      group.add_subcommand(add ? "add-member" : "remove-member",
                           add ? "Add a user to a group" : "Remove a user from a group");
  command->add_option("group", options->group, "Group name")->required();
  command->add_option("user", options->user, "Login name")->required();
  command->callback([&context, options, add] {
    auto& directory = context.directory();
    checked(add ? directory.add_group_member(options->group, options->user)
                : directory.remove_group_member(options->group, options->user));
    fmt::print("{} {} {} group {}.\n", add ? "Added" : "Removed", options->user,
               add ? "to" : "from", options->group);
  });
}

} // namespace

void add_group_commands(CLI::App& app, CommandContext& context) {
  auto* group = app.add_subcommand("group", "Add, list and remove groups and their members");
  group->require_subcommand(1);

  auto name = std::make_shared<std::string>();
  auto display_name = std::make_shared<std::string>();
  auto* add = group->add_subcommand("add", "Add a group");
  add->add_option("name", *name, "Group name (lowercase letters, digits, . _ -)")->required();
  add->add_option("--display-name", *display_name, "Name shown to users");
  add->callback([&context, name, display_name] {
    checked(context.directory().add_group(*name, *display_name));
    fmt::print("Added group {}.\n", *name);
  });

  group->add_subcommand("list", "List groups with their members")->callback([&context] {
    group_list(context);
  });

  auto* del = group->add_subcommand("del", "Remove a group and its extensions");
  del->add_option("name", *name, "Group name")->required();
  del->callback([&context, name] {
    checked(context.directory().remove_group(*name));
    fmt::print("Removed group {}.\n", *name);
  });

  add_membership_command(*group, context, true);
  add_membership_command(*group, context, false);
}

} // namespace starling::app
