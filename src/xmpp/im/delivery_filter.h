// A policy on who may reach whom (blocking, XEP-0191): the router asks it before routing a
// stanza a resource sent, and the server's sessions ask it before each delivery, broadcasts
// included, so that no path around the router's own checks reaches a client.
#pragma once

#include "xmpp/im/sessions.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// Runs on the router's thread; it answers through `sender.session`, never through the router.
class DeliveryFilter {
public:
  DeliveryFilter() = default;
  DeliveryFilter(const DeliveryFilter&) = delete;
  DeliveryFilter& operator=(const DeliveryFilter&) = delete;
  virtual ~DeliveryFilter() = default;

  // A stanza from `sender` to `to` (any valid address but the sender's own account and
  // server), before the router routes it. True when the filter stopped it: it answered the
  // sender with an error, or dropped it.
  virtual bool stops(Resource& sender, const Jid& to, const xml::Element& stanza) = 0;
  // Whether `stanza` (its 'from' set, or none when the server itself speaks) may reach the
  // bound resource `recipient`.
  [[nodiscard]] virtual bool allows(const xml::Element& stanza, const Jid& recipient) const = 0;
};

} // namespace starling::xmpp::im
