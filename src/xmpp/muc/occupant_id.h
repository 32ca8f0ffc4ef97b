// Occupant identifiers (XEP-0421): what tells the occupants of a room that two presences or
// messages come from the same user, whatever nick or client the user had, without telling
// them who the user is.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::muc {

inline constexpr std::string_view kOccupantIdNamespace = "urn:xmpp:occupant-id:0";

class OccupantIds {
public:
  // `server_secret` must stay the same across restarts (§4: the id of a user in a room
  // never changes); a key of its own is derived from it.
  explicit OccupantIds(std::span<const std::uint8_t> server_secret);

  // The id of the user `real` (a full or bare JID) in `room`: the same for each of the
  // user's clients, different in every room. Base64 of an HMAC, so that nobody without the
  // key can tell whose it is or guess it from a JID.
  [[nodiscard]] std::string of(const Jid& room, const Jid& real) const;

private:
  std::vector<std::uint8_t> key_;
};

// `stanza` (a presence or message the room sends from an occupant) with the occupant's
// <occupant-id/> and none other: §4 has the room remove what a client put there itself.
[[nodiscard]] xml::Element with_occupant_id(const xml::Element& stanza, std::string_view id);

} // namespace starling::xmpp::muc
