// The company directory: users, their devices and extensions, and groups, with the rules
// that keep them valid. The command line and the API change the directory only through it.
#include "directory/directory.h"

#include <fmt/format.h>

#include "directory/digest_credentials.h"
#include "directory/names.h"
#include "directory/password_hash.h"
#include "directory/scram_secret.h"
#include "directory/secret.h"

namespace starling::directory {
namespace {

// Shorter passwords fall to an offline guess of the HA1 or an online SIP scan.
constexpr std::size_t kMinPasswordLength = 8;
constexpr int kMaxDeviceNameSuffix = 99;
constexpr std::string_view kAdministratorName = "admin";

std::unexpected<Error> failure(Error::Kind kind, std::string message, std::string field = {}) {
  return std::unexpected(Error{kind, std::move(message), std::move(field)});
}

Error::Kind kind_of(store::StoreError::Kind kind) {
  switch (kind) {
  case store::StoreError::Kind::not_found:
    return Error::Kind::not_found;
  case store::StoreError::Kind::conflict:
    return Error::Kind::conflict;
  case store::StoreError::Kind::unavailable:
  case store::StoreError::Kind::incompatible:
    return Error::Kind::unavailable;
  }
  return Error::Kind::unavailable;
}

// Everything kept of a new password: its hash for logins and the API, and its SCRAM
// secrets for XMPP clients.
store::PasswordSecrets password_secrets(std::string_view password) {
  return {hash_password(password),
          encode_scram_secret(make_scram_secret(ScramHash::sha1, password)),
          encode_scram_secret(make_scram_secret(ScramHash::sha256, password))};
}

std::unexpected<Error> from_store(const store::StoreError& error) {
  return failure(kind_of(error.kind), error.message);
}

template <typename T> Result<T> lift(store::Result<T>&& result) {
  if (!result) {
    return from_store(result.error());
  }
  if constexpr (std::is_void_v<T>) {
    return {};
  } else {
    return std::move(*result);
  }
}

std::optional<std::string> check_password(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return fmt::format("the password is too short: use at least {} characters", kMinPasswordLength);
  }
  return std::nullopt;
}

} // namespace

Directory::Directory(store::Store& store, std::string realm)
    : store_(store), realm_(std::move(realm)) {}

Result<store::User> Directory::require_user(std::string_view name) {
  auto user = store_.find_user(name);
  if (!user) {
    return from_store(user.error());
  }
  if (!*user) {
    return failure(Error::Kind::not_found, fmt::format("no user named '{}'", name));
  }
  return std::move(**user);
}

Result<store::Group> Directory::require_group(std::string_view name) {
  auto group = store_.find_group(name);
  if (!group) {
    return from_store(group.error());
  }
  if (!*group) {
    return failure(Error::Kind::not_found, fmt::format("no group named '{}'", name));
  }
  return std::move(**group);
}

Result<Created<store::User>> Directory::add_user(const NewUserRequest& request) {
  if (auto problem = check_name("user", request.name)) {
    return failure(Error::Kind::invalid, *problem, "name");
  }
  if (request.extension) {
    if (auto problem = check_extension_number(*request.extension)) {
      return failure(Error::Kind::invalid, *problem, "extension");
    }
  }
  if (request.password) {
    if (auto problem = check_password(*request.password)) {
      return failure(Error::Kind::invalid, *problem, "password");
    }
  }
  Created<store::User> created{
      {}, request.password ? std::nullopt : std::optional(generate_password())};
  const std::string& password = request.password ? *request.password : *created.generated_password;
  auto user = store_.add_user(
      {request.name, request.display_name, request.role, password_secrets(password)});
  if (!user) {
    return from_store(user.error());
  }
  created.row = std::move(*user);
  if (request.extension) {
    auto extension = store_.add_extension({*request.extension, created.row.id, std::nullopt, ""});
    if (!extension) {
      // A user without the extension asked for is not what was asked: undo.
      (void)store_.remove_user(created.row.id);
      return from_store(extension.error());
    }
  }
  return created;
}

Result<std::vector<store::User>> Directory::users() {
  return lift(store_.list_users());
}

Result<void> Directory::set_password(std::string_view user_name, std::string_view password) {
  if (auto problem = check_password(password)) {
    return failure(Error::Kind::invalid, *problem, "password");
  }
  auto user = require_user(user_name);
  if (!user) {
    return std::unexpected(user.error());
  }
  return lift(store_.set_password(user->id, password_secrets(password)));
}

Result<void> Directory::set_display_name(std::string_view user_name,
                                         std::string_view display_name) {
  auto user = require_user(user_name);
  if (!user) {
    return std::unexpected(user.error());
  }
  return lift(store_.update_user(user->id, display_name, user->role));
}

Result<void> Directory::keep_an_administrator(const store::User& user) {
  if (user.role != store::Role::admin) {
    return {};
  }
  auto administrators = store_.count_users(store::Role::admin);
  if (!administrators) {
    return from_store(administrators.error());
  }
  if (*administrators <= 1) {
    return failure(
        Error::Kind::conflict,
        fmt::format("'{}' is the last administrator; make another one first", user.name));
  }
  return {};
}

Result<void> Directory::set_role(std::string_view user_name, store::Role role) {
  auto user = require_user(user_name);
  if (!user) {
    return std::unexpected(user.error());
  }
  if (role != store::Role::admin) {
    if (auto kept = keep_an_administrator(*user); !kept) {
      return kept;
    }
  }
  return lift(store_.update_user(user->id, user->display_name, role));
}

Result<void> Directory::remove_user(std::string_view user_name) {
  auto user = require_user(user_name);
  if (!user) {
    return std::unexpected(user.error());
  }
  if (auto kept = keep_an_administrator(*user); !kept) {
    return kept;
  }
  return lift(store_.remove_user(user->id));
}

Result<std::string> Directory::free_device_name(const std::string& user_name) {
  for (int suffix = 1; suffix <= kMaxDeviceNameSuffix; ++suffix) {
    std::string candidate = suffix == 1 ? user_name : fmt::format("{}-{}", user_name, suffix);
    auto existing = store_.find_device(candidate);
    if (!existing) {
      return from_store(existing.error());
    }
    if (!*existing) {
      return candidate;
    }
  }
  return failure(
      Error::Kind::conflict,
      fmt::format("user '{}' has too many devices to name another one; pass a name", user_name));
}

Result<Created<store::Device>> Directory::add_device(const NewDeviceRequest& request) {
  auto user = require_user(request.user_name);
  if (!user) {
    return std::unexpected(user.error());
  }
  auto auth_name =
      request.auth_name ? Result<std::string>(*request.auth_name) : free_device_name(user->name);
  if (!auth_name) {
    return std::unexpected(auth_name.error());
  }
  if (auto problem = check_name("device", *auth_name)) {
    return failure(Error::Kind::invalid, *problem, "name");
  }
  if (request.password) {
    if (auto problem = check_password(*request.password)) {
      return failure(Error::Kind::invalid, *problem, "password");
    }
  }
  Created<store::Device> created{
      {}, request.password ? std::nullopt : std::optional(generate_password())};
  const std::string& password = request.password ? *request.password : *created.generated_password;
  const DigestHa1 ha1 = compute_ha1(*auth_name, realm_, password);
  auto device =
      store_.add_device({user->id, *auth_name, realm_, ha1.md5, ha1.sha256, request.description});
  if (!device) {
    return from_store(device.error());
  }
  created.row = std::move(*device);
  return created;
}

Result<std::vector<store::Device>> Directory::devices() {
  return lift(store_.list_devices());
}

Result<store::Device> Directory::require_device(std::string_view auth_name) {
  auto device = store_.find_device(auth_name);
  if (!device) {
    return from_store(device.error());
  }
  if (!*device) {
    return failure(Error::Kind::not_found, fmt::format("no device named '{}'", auth_name));
  }
  return std::move(**device);
}

Result<void> Directory::remove_device(std::string_view auth_name) {
  auto device = require_device(auth_name);
  if (!device) {
    return std::unexpected(device.error());
  }
  return lift(store_.remove_device(device->id));
}

Result<void> Directory::set_device_description(std::string_view auth_name,
                                               std::string_view description) {
  auto device = require_device(auth_name);
  if (!device) {
    return std::unexpected(device.error());
  }
  return lift(store_.set_device_description(device->id, description));
}

Result<void> Directory::set_device_password(std::string_view auth_name, std::string_view password) {
  if (auto problem = check_password(password)) {
    return failure(Error::Kind::invalid, *problem, "password");
  }
  auto device = require_device(auth_name);
  if (!device) {
    return std::unexpected(device.error());
  }
  const DigestHa1 ha1 = compute_ha1(device->auth_name, realm_, password);
  return lift(store_.set_device_credentials(device->id, realm_, ha1.md5, ha1.sha256));
}

Result<store::Extension> Directory::add_extension(std::string_view number,
                                                  std::optional<std::string_view> user_name,
                                                  std::optional<std::string_view> group_name) {
  if (auto problem = check_extension_number(number)) {
    return failure(Error::Kind::invalid, *problem, "number");
  }
  if (user_name.has_value() == group_name.has_value()) {
    return failure(Error::Kind::invalid, "an extension leads to exactly one user or one group",
                   "user");
  }
  store::Extension extension{std::string(number), std::nullopt, std::nullopt, ""};
  if (user_name) {
    auto user = require_user(*user_name);
    if (!user) {
      return std::unexpected(user.error());
    }
    extension.user_id = user->id;
  } else {
    auto group = require_group(*group_name);
    if (!group) {
      return std::unexpected(group.error());
    }
    extension.group_id = group->id;
  }
  return lift(store_.add_extension(extension));
}

Result<std::vector<store::Extension>> Directory::extensions() {
  return lift(store_.list_extensions());
}

Result<void> Directory::remove_extension(std::string_view number) {
  auto removed = store_.remove_extension(number);
  if (!removed && removed.error().kind == store::StoreError::Kind::not_found) {
    return failure(Error::Kind::not_found, fmt::format("no extension {}", number));
  }
  return lift(std::move(removed));
}

Result<store::Group> Directory::add_group(std::string_view name, std::string_view display_name) {
  if (auto problem = check_name("group", name)) {
    return failure(Error::Kind::invalid, *problem, "name");
  }
  return lift(store_.add_group(name, display_name));
}

Result<std::vector<store::Group>> Directory::groups() {
  return lift(store_.list_groups());
}

Result<void> Directory::remove_group(std::string_view name) {
  auto group = require_group(name);
  if (!group) {
    return std::unexpected(group.error());
  }
  return lift(store_.remove_group(group->id));
}

Result<void> Directory::set_group_display_name(std::string_view name,
                                               std::string_view display_name) {
  auto group = require_group(name);
  if (!group) {
    return std::unexpected(group.error());
  }
  return lift(store_.set_group_display_name(group->id, display_name));
}

Result<void> Directory::add_group_member(std::string_view group_name, std::string_view user_name) {
  auto group = require_group(group_name);
  auto user = require_user(user_name);
  if (!group || !user) {
    return std::unexpected(!group ? group.error() : user.error());
  }
  return lift(store_.add_group_member(group->id, user->id));
}

Result<void> Directory::remove_group_member(std::string_view group_name,
                                            std::string_view user_name) {
  auto group = require_group(group_name);
  auto user = require_user(user_name);
  if (!group || !user) {
    return std::unexpected(!group ? group.error() : user.error());
  }
  auto removed = store_.remove_group_member(group->id, user->id);
  if (!removed && removed.error().kind == store::StoreError::Kind::not_found) {
    return failure(Error::Kind::not_found,
                   fmt::format("'{}' is not a member of group '{}'", user_name, group_name));
  }
  return lift(std::move(removed));
}

Result<std::optional<std::string>> Directory::ensure_administrator() {
  auto administrators = store_.count_users(store::Role::admin);
  if (!administrators) {
    return from_store(administrators.error());
  }
  if (*administrators > 0) {
    return std::optional<std::string>();
  }
  auto created = add_user({std::string(kAdministratorName), "Administrator", store::Role::admin,
                           std::nullopt, std::nullopt});
  if (!created) {
    return std::unexpected(created.error());
  }
  return created->generated_password;
}

} // namespace starling::directory
