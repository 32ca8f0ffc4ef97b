// The company directory: users, their devices and extensions, and groups, with the rules
// that keep them valid. The command line and the API change the directory only through it.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace starling::directory {

struct Error {
  enum class Kind { invalid, not_found, conflict, unavailable };
  Kind kind;
  std::string message;
  // The request member at fault for `invalid` ("name", "password", "extension"), or empty.
  std::string field;
};

template <typename T> using Result = std::expected<T, Error>;

struct NewUserRequest {
  std::string name;
  std::string display_name;
  store::Role role = store::Role::user;
  std::optional<std::string> password;  // generated when absent
  std::optional<std::string> extension; // assigned to the user when present
};

// What a create call made, with any generated password; it is shown once and never kept.
template <typename Row> struct Created {
  Row row;
  std::optional<std::string> generated_password;
};

struct NewDeviceRequest {
  std::string user_name;
  std::optional<std::string> auth_name; // the user's name (or name-2, -3 …) when absent
  std::optional<std::string> password;  // generated when absent
  std::string description;
};

class Directory {
public:
  // `realm` is the SIP digest realm device credentials are hashed over.
  Directory(store::Store& store, std::string realm);

  Result<Created<store::User>> add_user(const NewUserRequest& request);
  Result<std::vector<store::User>> users();
  Result<void> set_password(std::string_view user_name, std::string_view password);
  Result<void> set_display_name(std::string_view user_name, std::string_view display_name);
  // Refuses to demote the last administrator, who alone could undo it.
  Result<void> set_role(std::string_view user_name, store::Role role);
  // Refuses to remove the last administrator.
  Result<void> remove_user(std::string_view user_name);

  Result<Created<store::Device>> add_device(const NewDeviceRequest& request);
  Result<std::vector<store::Device>> devices();
  Result<void> remove_device(std::string_view auth_name);
  Result<void> set_device_description(std::string_view auth_name, std::string_view description);
  Result<void> set_device_password(std::string_view auth_name, std::string_view password);

  // Exactly one of user_name or group_name names the extension's target.
  Result<store::Extension> add_extension(std::string_view number,
                                         std::optional<std::string_view> user_name,
                                         std::optional<std::string_view> group_name);
  Result<std::vector<store::Extension>> extensions();
  Result<void> remove_extension(std::string_view number);

  Result<store::Group> add_group(std::string_view name, std::string_view display_name);
  Result<std::vector<store::Group>> groups();
  Result<void> remove_group(std::string_view name);
  Result<void> set_group_display_name(std::string_view name, std::string_view display_name);
  Result<void> add_group_member(std::string_view group_name, std::string_view user_name);
  Result<void> remove_group_member(std::string_view group_name, std::string_view user_name);

  // On a directory without administrators, creates "admin" with a generated password and
  // returns it; otherwise returns nothing.
  Result<std::optional<std::string>> ensure_administrator();

private:
  Result<store::User> require_user(std::string_view name);
  Result<store::Group> require_group(std::string_view name);
  Result<store::Device> require_device(std::string_view auth_name);
  Result<void> keep_an_administrator(const store::User& user);
  Result<std::string> free_device_name(const std::string& user_name);

  store::Store& store_;
  std::string realm_;
};

} // namespace starling::directory
