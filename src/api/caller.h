// Who is asking the REST API: a logged-in user (session cookie) or an API token's owner.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace starling::api {

// What an API token may do; docs/api.md lists which routes each one opens.
enum class Scope {
  directory_read,  // users, extensions, devices, groups, registrations, address book
  directory_write, // create, change and delete them
  calls_read,      // active calls and call records
  calls_write,     // hang up active calls
  contacts_read,   // personal contacts
  contacts_write,
  system_read,  // version, ports, certificates, health, metrics
  trunks_read,  // SIP trunks with their state, outbound routes
  trunks_write, // create, change and delete them
};

// "directory:read" and so on, as tokens are created with and docs/openapi.yaml names them.
std::string_view scope_name(Scope scope);
std::optional<Scope> scope_from_name(std::string_view name);

struct Caller {
  store::Id user_id = 0;
  std::string name;
  store::Role role = store::Role::user;
  // A token carries the scopes it was created with; a login session has them all.
  std::optional<std::vector<Scope>> token_scopes;

  [[nodiscard]] bool is_admin() const { return role == store::Role::admin; }
  [[nodiscard]] bool may(Scope scope) const;
};

} // namespace starling::api
