// Where messages for a user with no available resource wait (RFC 6121 §8.5.2.2, XEP-0160).
#pragma once

#include <vector>

#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// Implemented by the owner over the store. The store stamps each message with its XEP-0203
// <delay/> (the router has no clock) and applies its own quota.
class OfflineStore {
public:
  virtual ~OfflineStore() = default;

  // A chat or normal message for `to` (the bare JID of a local account).
  virtual void store(const Jid& to, xml::Element message) = 0;
  // Removes and returns the messages waiting for this bare JID, oldest first.
  virtual std::vector<xml::Element> take(const Jid& user) = 0;
};

} // namespace starling::xmpp::im
