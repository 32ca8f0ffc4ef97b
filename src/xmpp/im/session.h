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
  // Whether a client takes what is delivered now; false while a stream-management session
  // waits for its client to resume it (XEP-0198 §5) and stanzas wait with it.
  [[nodiscard]] virtual bool connected() const { return true; }
};

} // namespace starling::xmpp::im
