// A service at its own domain next to the server's (XEP-0114's components, in-process), such
// as group chat at conference.DOMAIN: the router hands it every stanza addressed there.
#pragma once

#include <string>

#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// Runs on the router's thread. It answers through the sessions it was given, never by
// calling back into the router.
class Component {
public:
  Component() = default;
  Component(const Component&) = delete;
  Component& operator=(const Component&) = delete;
  virtual ~Component() = default;

  // The domain it serves; the server lists it in its disco#items (XEP-0030 §4).
  [[nodiscard]] virtual const std::string& domain() const = 0;
  // A stanza from a local resource (`from`, its full JID, is also the stanza's 'from') to
  // this domain or an address at it.
  virtual void on_stanza(const Jid& from, const xml::Element& stanza) = 0;
  // The resource went unavailable or its stream closed: it is gone from wherever it was.
  virtual void on_resource_gone(const Jid& full) = 0;
};

} // namespace starling::xmpp::im
