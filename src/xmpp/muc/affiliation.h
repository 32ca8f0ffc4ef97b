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

// Ordered by privilege (§5.1): visitors listen, participants speak, moderators moderate.
enum class Role : std::uint8_t { none, visitor, participant, moderator };

[[nodiscard]] std::string_view to_string(Role role);
[[nodiscard]] std::optional<Role> parse_role(std::string_view name);
// §5.1.2: the role a user enters with. Owners and admins moderate; in a moderated room
// (§4.2) only members speak at first, and others visit until a moderator gives them voice.
[[nodiscard]] Role role_of(Affiliation affiliation, bool moderated);

} // namespace starling::xmpp::muc
