// The router's handle on one bound client stream: where stanzas for that resource go.
#pragma once

#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// Implemented by the owner over c2s::ClientStream::send(). deliver() must not call back into
// the Router: the router may be in the middle of a broadcast.
class Session {
public:
  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  virtual ~Session() = default;

  // A stanza for this resource, 'from' and 'to' already set.
  virtual void deliver(const xml::Element& stanza) = 0;
};

} // namespace starling::xmpp::im
