// `starling user add|list|passwd|del`: login accounts.
#include <map>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/password_input.h"
#include "core/text_table.h"
#include "directory/secret.h"

namespace starling::app {
namespace {

struct UserAddOptions {
  std::string name;
  std::string display_name;
  std::string role = "user";
  std::string extension;
  bool password_stdin = false;
};

void user_add(CommandContext& context, const UserAddOptions& options) {
  directory::NewUserRequest request{
      options.name, options.display_name,
      options.role == "admin" ? store::Role::admin : store::Role::user, std::nullopt, std::nullopt};
  if (options.password_stdin) {
    request.password = read_password_from_stdin();
  }
  if (!options.extension.empty()) {
    request.extension = options.extension;
  }
  const auto created = checked(context.directory().add_user(request));
  fmt::print("Added user {}{}.\n", created.row.name,
             request.extension ? fmt::format(" with extension {}", *request.extension) : "");
  if (created.generated_password) {
    fmt::print("Password (shown only this once): {}\n", *created.generated_password);
  }
}

void user_list(CommandContext& context) {
  std::map<std::string, std::string> extensions_of;
  for (const auto& extension : checked(context.directory().extensions())) {
    if (extension.user_id) {
      auto& list = extensions_of[extension.target_name];
      list += (list.empty() ? "" : ",") + extension.number;
    }
  }
  core::TextTable table({"NAME", "ROLE", "EXTENSIONS", "DISPLAY NAME"});
  for (const auto& user : checked(context.directory().users())) {
    table.add_row({user.name, user.role == store::Role::admin ? "admin" : "user",
                   extensions_of[user.name], user.display_name});
  }
  fmt::print("{}", table.render());
}

void user_passwd(CommandContext& context, const std::string& name, bool password_stdin) {
  const std::string password =
      password_stdin ? read_password_from_stdin() : directory::generate_password();
  checked(context.directory().set_password(name, password));
  fmt::print("Changed the password of {}.\n", name);
  if (!password_stdin) {
    fmt::print("New password (shown only this once): {}\n", password);
  }
}

} // namespace

void add_user_commands(CLI::App& app, CommandContext& context) {
  auto* user = app.add_subcommand("user", "Add, list, change and remove login accounts");
  user->require_subcommand(1);

  auto options = std::make_shared<UserAddOptions>();
  auto* add = user->add_subcommand("add", "Add a user; prints a generated password once");
  add->add_option("name", options->name, "Login name (lowercase letters, digits, . _ -)")
      ->required();
  add->add_option("--display-name", options->display_name, "Full name shown to colleagues");
  add->add_option("--role", options->role, "admin or user")
      ->check(CLI::IsMember({"admin", "user"}));
  add->add_option("--ext", options->extension, "Give the user this extension number");
  add->add_flag("--password-stdin", options->password_stdin,
                "Read the password from the first line of standard input");
  add->callback([&context, options] { user_add(context, *options); });

  user->add_subcommand("list", "List users with their role and extensions")->callback([&context] {
    user_list(context);
  });

  auto name = std::make_shared<std::string>();
  auto password_stdin = std::make_shared<bool>(false);
  auto* passwd = user->add_subcommand("passwd", "Set a new password; prints a generated one once");
  passwd->add_option("name", *name, "Login name")->required();
  passwd->add_flag("--password-stdin", *password_stdin,
                   "Read the password from the first line of standard input");
  passwd->callback(
      [&context, name, password_stdin] { user_passwd(context, *name, *password_stdin); });

  auto* del = user->add_subcommand("del", "Remove a user with their devices and extensions");
  del->add_option("name", *name, "Login name")->required();
  del->callback([&context, name] {
    checked(context.directory().remove_user(*name));
    fmt::print("Removed user {}.\n", *name);
  });
}

} // namespace starling::app
