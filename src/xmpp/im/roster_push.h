// Roster pushes (RFC 6121 §2.1.6): the server tells a user's interested resources of each
// change to their roster.
#pragma once

#include <cstdint>

#include "xmpp/im/roster_item.h"
#include "xmpp/im/sessions.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

class RosterPushes {
public:
  // `sessions` must outlive this object.
  explicit RosterPushes(Sessions& sessions) : sessions_(sessions) {}

  // An iq set with the item to each interested resource of `user` (§1.3: one that asked for
  // the roster); the clients' results come back to the server and end there.
  void push_item(const Jid& user, const RosterItem& item);
  // The same for an item that is gone: subscription='remove' (§2.5.2).
  void push_removal(const Jid& user, const Jid& contact);

private:
  void push(const Jid& user, const xml::Element& item);

  Sessions& sessions_;
  std::uint64_t next_id_ = 1; // ids need only be unique per stream (RFC 6120 §8.1.3)
};

} // namespace starling::xmpp::im
