// What goes into users' and rooms' message archives (XEP-0313 §5) and the stanza-id (XEP-0359)
// the recipient sees it under.
#pragma once

#include "xmpp/im/message_archive.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// XEP-0313 §5.1.1: chat messages, and normal ones with a body; never one marked <no-store/>
// (XEP-0334 §4.3) nor one without a body, such as a bare chat state.
[[nodiscard]] bool is_archivable(const xml::Element& message);

// Called for `message` from the resource `from` to the local user `to` before it is routed.
// Archives it once in the sender's archive and once in the recipient's (once in all when they
// are the same user) and returns the message to route: with the recipient's archive id as
// <stanza-id by='to-bare-jid'/>, and without any stanza-id a client wrote in the name of this
// domain or its users (XEP-0359 §5), archived or not.
[[nodiscard]] xml::Element archive_exchange(MessageArchive& archive, const Jid& from, const Jid& to,
                                            const xml::Element& message);

// Called for a group chat message that the room `room` (a bare JID) is about to send from
// `occupant` (room/nick) to everyone in it. A message with a body goes into the room's archive
// (XEP-0313 §5) unless marked <no-store/>; returns the message to send, with its archive id as
// <stanza-id by='room'/>, and without any stanza-id the occupant wrote.
[[nodiscard]] xml::Element archive_groupchat(MessageArchive& archive, const Jid& room,
                                             const Jid& occupant, const xml::Element& message);

} // namespace starling::xmpp::im
