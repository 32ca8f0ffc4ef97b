// A user's lasting standing in a room (XEP-0045 §5.2) and the role it gives them there (§5.1).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace starling::xmpp::muc {

// Ordered by rank: a higher affiliation may act on a lower one (§9, §10).
enum class Affiliation : std::uint8_t { outcast, none, member, admin, owner };

[[nodiscard]] std::string_view to_string(Affiliation affiliation);
[[nodiscard]] std::optional<Affiliation> parse_affiliation(std::string_view name);

// Rooms here are unmoderated (§5.1.2): owners and admins moderate, everyone else takes part.
// "visitor" is never given, so it is not a value.
enum class Role : std::uint8_t { none, participant, moderator };

[[nodiscard]] std::string_view to_string(Role role);
[[nodiscard]] std::optional<Role> parse_role(std::string_view name);
[[nodiscard]] Role role_of(Affiliation affiliation);

} // namespace starling::xmpp::muc
