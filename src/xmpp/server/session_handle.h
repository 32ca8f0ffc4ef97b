// The router's lasting handle on one bound resource: it outlives a client connection that
// XEP-0198 may resume, and keeps what is routed to the resource while no connection is there.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "xmpp/im/router.h"
#include "xmpp/im/session.h"
#include "xmpp/jid.h"
#include "xmpp/server/csi_queue.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::server {

// What waits for a detached resource at most; later stanzas are dropped (and logged once), so
// a resource that never comes back cannot grow the server's memory for the resumption time.
// As many messages as offline storage keeps for a user, plus room for presence.
inline constexpr std::size_t kMaxQueuedWhileDetached = 1000;

// The router holds this handle, never the connection, so a resumption (XEP-0198 §5) moves
// the resource to a new connection without the router, its presence state or its
// subscribers noticing the cut.
class SessionHandle final : public im::Session {
public:
  // `connection` must call detach() before it goes; `router` (whose delivery filters every
  // stanza passes, XEP-0191) must outlive the handle.
  SessionHandle(Jid full, im::Session& connection, const im::Router& router)
      : jid_(std::move(full)), connection_(&connection), router_(router) {}

  void deliver(const xml::Element& stanza) override;
  [[nodiscard]] bool connected() const override { return connection_ != nullptr; }

  // The resource's connection is gone; stanzas wait here for a resumption, after those the
  // client's inactive state held back.
  void detach();
  // XEP-0352: the client says it is active or inactive; see CsiQueue.
  void set_client_active(bool active);
  // A new connection resumed the resource; it first takes what waited.
  void attach(im::Session& connection) { connection_ = &connection; }
  [[nodiscard]] std::vector<xml::Element> take_queued();

  [[nodiscard]] const Jid& jid() const { return jid_; }

private:
  Jid jid_; // full
  im::Session* connection_;
  const im::Router& router_;
  std::vector<xml::Element> queued_;
  CsiQueue csi_;
  bool overflow_logged_ = false;
};

} // namespace starling::xmpp::server
