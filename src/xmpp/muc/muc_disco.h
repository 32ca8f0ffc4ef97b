// Service discovery (XEP-0030) of the group chat service and its rooms (XEP-0045 §6).
#pragma once

#include "xmpp/jid.h"
#include "xmpp/muc/room.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::muc {

// The reply to an iq get or set to the service (`to` is its domain) or to a room: disco#info
// and disco#items, item-not-found for a room that does not exist, service-unavailable for
// anything else (RFC 6120 §8.4).
xml::Element answer_iq(const xml::Element& iq, const Jid& to, const Rooms& rooms);

} // namespace starling::xmpp::muc
