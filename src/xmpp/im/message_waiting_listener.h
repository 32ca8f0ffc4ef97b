// Told of each chat or normal message that no connected client took: it waits offline
// (RFC 6121 §8.5.2.2) or for a stream-management session to be resumed (XEP-0198), so that
// the user's phone can be woken (XEP-0357 push notifications).
#pragma once

#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// Runs on the router's thread; it may deliver to sessions but never calls back into the
// router.
class MessageWaitingListener {
public:
  MessageWaitingListener() = default;
  MessageWaitingListener(const MessageWaitingListener&) = delete;
  MessageWaitingListener& operator=(const MessageWaitingListener&) = delete;
  virtual ~MessageWaitingListener() = default;

  // `message` (its 'from' the sender's full JID) waits for `user`, a local bare JID.
  virtual void on_message_waiting(const Jid& user, const xml::Element& message) = 0;
};

} // namespace starling::xmpp::im
