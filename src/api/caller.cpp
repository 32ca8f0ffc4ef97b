// Scope names and checks for API callers.
#include "api/caller.h"

#include <algorithm>
#include <array>
#include <utility>

namespace starling::api {

namespace {

constexpr std::array<std::pair<Scope, std::string_view>, 9> kScopeNames{{
    {Scope::directory_read, "directory:read"},
    {Scope::directory_write, "directory:write"},
    {Scope::calls_read, "calls:read"},
    {Scope::calls_write, "calls:write"},
    {Scope::contacts_read, "contacts:read"},
    {Scope::contacts_write, "contacts:write"},
    {Scope::system_read, "system:read"},
    {Scope::trunks_read, "trunks:read"},
    {Scope::trunks_write, "trunks:write"},
}};

} // namespace

std::string_view scope_name(Scope scope) {
  for (const auto& [value, name] : kScopeNames) {
    if (value == scope) {
      return name;
    }
  }
  return {};
}

std::optional<Scope> scope_from_name(std::string_view name) {
  for (const auto& [value, known] : kScopeNames) {
    if (known == name) {
      return value;
    }
  }
  return std::nullopt;
}

bool Caller::may(Scope scope) const {
  return !token_scopes || std::ranges::find(*token_scopes, scope) != token_scopes->end();
}

} // namespace starling::api
