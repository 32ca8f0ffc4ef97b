// Telephony presence over PEP: a user's call as XEP-0108 user activity on their own
// http://jabber.org/protocol/activity node, for clients that show activities from PEP
// rather than from the phone resource's presence (im/phone_presence.h).
#pragma once

#include <optional>
#include <string_view>

#include "xmpp/jid.h"
#include "xmpp/pep/pep_service.h"

namespace starling::xmpp::pep {

// The user (a bare JID) is in a call (`call_state` set) or no longer (nullopt): publishes
// "talking/on_the_phone", or the empty <activity/> that XEP-0108 §4 uses to stop.
void publish_phone_activity(PepService& pep, const Jid& user,
                            std::optional<std::string_view> call_state);

} // namespace starling::xmpp::pep
