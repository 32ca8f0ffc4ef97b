// Voice in a moderated room (XEP-0045 §7.13, §8.6): a visitor's request, the form that asks
// the moderators to approve it, and their answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::muc {

inline constexpr std::string_view kMucRequestFormType = "http://jabber.org/protocol/muc#request";

// A muc#request form in a message to the room.
struct VoiceForm {
  // nullopt: a visitor asks for voice (§7.13); otherwise a moderator's answer (§8.6).
  std::optional<bool> allow;
  std::string nick; // the answer's muc#roomnick: who asked
};

// The form `message` carries, if it is a muc#request one.
[[nodiscard]] std::optional<VoiceForm> parse_voice_form(const xml::Element& message);

// §8.6: from the room to a moderator, asking whether `requester` (in the room as `nick`)
// may speak.
[[nodiscard]] xml::Element voice_approval_form(const Jid& room, const Jid& requester,
                                               std::string_view nick);

} // namespace starling::xmpp::muc
