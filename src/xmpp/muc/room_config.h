// A room's configuration by its owner (XEP-0045 §10.2): the muc#roomconfig form showing what
// every room here is (persistent, archived) and what an owner may change: the room's name
// and description, whether it is members-only, public, moderated and password-protected,
// who sees real JIDs, and who may change its subject and invite.
#pragma once

#include <cstddef>
#include <expected>
#include <string_view>

#include "xmpp/im/stanza_error.h"
#include "xmpp/muc/room_store.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::muc {

inline constexpr std::string_view kMucOwnerNamespace = "http://jabber.org/protocol/muc#owner";
inline constexpr std::string_view kRoomConfigFormType = "http://jabber.org/protocol/muc#roomconfig";
// Bytes of a room's name or description at most.
inline constexpr std::size_t kMaxRoomTextSize = 1024;

// §10.2: the form an owner fills in, with `room`'s current values.
[[nodiscard]] xml::Element room_config_form(const RoomRecord& room);

// `room` with a submitted form applied; a form without fields keeps the defaults (§10.1.2,
// an instant room). not-acceptable for a value no room here can have (not persistent, real
// JIDs hidden from moderators too ...), so that the owner is not misled.
[[nodiscard]] std::expected<RoomRecord, im::StanzaErrorCondition>
apply_room_config(RoomRecord room, const xml::Element& form);

} // namespace starling::xmpp::muc
