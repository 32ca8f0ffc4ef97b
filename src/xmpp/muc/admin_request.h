// What a muc#admin query asks of a room (XEP-0045 §8, §9, §10): a list of the users with one
// affiliation or the occupants with one role, or changes to affiliations and roles.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "xmpp/im/stanza_error.h"
#include "xmpp/jid.h"
#include "xmpp/muc/affiliation.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::muc {

inline constexpr std::string_view kMucAdminNamespace = "http://jabber.org/protocol/muc#admin";

// §9.1, §9.3, §10.3 …: a user's new affiliation, named by bare JID or, while they are in
// the room, by nick.
struct AffiliationChange {
  std::optional<Jid> jid; // bare
  std::string nick;       // when no jid
  Affiliation affiliation = Affiliation::none;
  std::string reason;
};

// §8.2 and friends: an occupant's new role, named by nick.
struct RoleChange {
  std::string nick;
  Role role = Role::none;
  std::string reason;
};

using AdminChange = std::variant<AffiliationChange, RoleChange>;

// An <iq type='get'/> names one affiliation (§9.2, §9.5, §10.5, §10.8) or one role (§8.5,
// §9.8) to list.
using AdminList = std::variant<Affiliation, Role>;

// The changes of an <iq type='set'/>, all or none of which apply; bad-request for an item
// that names nobody or no valid affiliation or role.
[[nodiscard]] std::expected<std::vector<AdminChange>, im::StanzaErrorCondition>
parse_admin_changes(const xml::Element& query);
[[nodiscard]] std::expected<AdminList, im::StanzaErrorCondition>
parse_admin_list(const xml::Element& query);

} // namespace starling::xmpp::muc
