// The names XEP-0045 §5 gives affiliations and roles.
#include "xmpp/muc/affiliation.h"

#include <array>
#include <utility>

namespace starling::xmpp::muc {

namespace {

constexpr std::array<std::pair<Affiliation, std::string_view>, 5> kAffiliationNames = {{
    {Affiliation::outcast, "outcast"},
    {Affiliation::none, "none"},
    {Affiliation::member, "member"},
    {Affiliation::admin, "admin"},
    {Affiliation::owner, "owner"},
}};

} // namespace

std::string_view to_string(Affiliation affiliation) {
  return kAffiliationNames.at(static_cast<std::size_t>(affiliation)).second;
}

std::optional<Affiliation> parse_affiliation(std::string_view name) {
  for (const auto& [affiliation, affiliation_name] : kAffiliationNames) {
    if (affiliation_name == name) {
      return affiliation;
    }
  }
  return std::nullopt;
}

std::string_view to_string(Role role) {
  switch (role) {
  case Role::none:
    return "none";
  case Role::visitor:
    return "visitor";
  case Role::participant:
    return "participant";
  case Role::moderator:
    return "moderator";
  }
  return "none";
}

std::optional<Role> parse_role(std::string_view name) {
  for (const auto role : {Role::none, Role::visitor, Role::participant, Role::moderator}) {
    if (to_string(role) == name) {
      return role;
    }
  }
  return std::nullopt;
}

Role role_of(Affiliation affiliation, bool moderated) {
  switch (affiliation) {
  case Affiliation::owner:
  case Affiliation::admin:
    return Role::moderator;
  case Affiliation::member:
    return Role::participant;
  case Affiliation::none:
    return moderated ? Role::visitor : Role::participant;
  case Affiliation::outcast:
    return Role::none;
  }
  return Role::none;
}

} // namespace starling::xmpp::muc
