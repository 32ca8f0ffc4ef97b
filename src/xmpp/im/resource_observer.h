// A feature that follows which resources are available and what they announce in their
// presence (entity capabilities, XEP-0115), so that the router only tells them in turn.
#pragma once

#include "xmpp/im/sessions.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// Runs on the router's thread; it may deliver to sessions but never calls back into the
// router.
class ResourceObserver {
public:
  ResourceObserver() = default;
  ResourceObserver(const ResourceObserver&) = delete;
  ResourceObserver& operator=(const ResourceObserver&) = delete;
  virtual ~ResourceObserver() = default;

  // The resource broadcast available presence (RFC 6121 §4.2, §4.4), initial or not.
  virtual void on_available(Resource& resource, const xml::Element& presence) = 0;
  // The resource sent unavailable presence or its stream ended (RFC 6121 §4.5).
  virtual void on_unavailable(const Jid& full) = 0;
};

} // namespace starling::xmpp::im
