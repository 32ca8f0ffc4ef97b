// The stanzas a group chat room sends (XEP-0045): occupant presence with its muc#user item
// and status codes, the subject, history with its delay, and what a join asks for.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "xmpp/jid.h"
#include "xmpp/muc/affiliation.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::muc {

inline constexpr std::string_view kMucNamespace = "http://jabber.org/protocol/muc";
inline constexpr std::string_view kMucUserNamespace = "http://jabber.org/protocol/muc#user";
inline constexpr std::string_view kDelayNamespace = "urn:xmpp:delay"; // XEP-0203

// XEP-0045 §15.6's status codes that this service sends.
enum class StatusCode : int {
  non_anonymous = 100,         // §7.2.3: every occupant sees real JIDs
  self = 110,                  // §7.2.3: this presence is about you
  room_created = 201,          // §10.1.1: you made a new room
  configuration_changed = 104, // §10.2.1: a change that does not touch privacy
  now_non_anonymous = 172,     // §10.2.1: every occupant sees real JIDs from now on
  now_semi_anonymous = 173,    // §10.2.1: only moderators see real JIDs from now on
  nick_changed = 303,          // §7.6.2: this occupant now goes by the item's nick
  banned = 301,                // §9.1: removed because its user became an outcast
  kicked = 307,                // §8.2: removed by a moderator
  affiliation_lost = 321,      // §9.4: removed from a members-only room with its membership
  members_only_now = 322,      // §10.2: removed because the room became members-only
};

using StatusCodes = std::vector<StatusCode>;

// An occupant as others see it (§5): affiliation with the room, role in it, real JID.
struct OccupantItem {
  Affiliation affiliation = Affiliation::none;
  Role role = Role::none;       // none once gone
  const Jid* real;              // null where the recipient may not see it (§7.2.4, semi-anonymous)
  std::string_view nick = {};   // §7.6.2: the new nick, in the unavailable presence of the old
  std::string_view reason = {}; // §8.2, §9.1: why a moderator removed the occupant
};

// §7.2.3: `presence`, the user's own available presence, as the room broadcasts it: from
// `occupant` (room@service/nick), the user's show, status and other payloads kept, its
// <x xmlns='…muc'/> replaced by <x xmlns='…muc#user'> with the item and the codes. No 'to'.
xml::Element occupant_presence(const xml::Element& presence, const Jid& occupant,
                               const OccupantItem& item, const StatusCodes& codes);
// §7.14: the occupant left; role none.
xml::Element unavailable_presence(const Jid& occupant, const OccupantItem& item,
                                  const StatusCodes& codes);

// §10.9: the room is gone. `destroy` is the owner's <destroy/> (alternate venue, reason),
// passed on in muc#user.
xml::Element room_destroyed_presence(const Jid& occupant, const xml::Element& destroy);

// §10.2.1: the room tells its occupants that its configuration changed: `code` is 104, or
// 172 or 173 when who may see real JIDs changed.
xml::Element configuration_changed(const Jid& room, StatusCode code);

// §7.2.15: the subject as a message from the room; an empty <subject/> when there is none.
xml::Element subject_message(const Jid& room, std::string_view subject);

// §7.2.14: a groupchat message as history replays it, with the room's <delay/> (XEP-0203).
xml::Element with_delay(xml::Element message, const Jid& room,
                        std::chrono::system_clock::time_point stamp);

// §7.2.14: the history a joining client asks for; a limit it leaves out does not limit.
struct HistoryRequest {
  std::optional<std::size_t> max_stanzas;
  std::optional<std::size_t> max_chars; // of the messages' XML
  // Nothing said before: 'since', or 'seconds' before now, whichever is later.
  std::optional<std::chrono::system_clock::time_point> since;
};
// A limit that is not a number (or 'since' not a XEP-0082 DateTime) is left out.
HistoryRequest history_request(const xml::Element& presence,
                               std::chrono::system_clock::time_point now);

} // namespace starling::xmpp::muc
