// A bound resource's handle in the router, attached to a connection or detached from it.
#include "xmpp/server/session_handle.h"

#include <utility>

#include <spdlog/spdlog.h>

namespace starling::xmpp::server {

void SessionHandle::deliver(const xml::Element& stanza) {
  if (connection_ != nullptr) {
    connection_->deliver(stanza);
  } else if (queued_.size() < kMaxQueuedWhileDetached) {
    queued_.push_back(stanza);
  } else if (!std::exchange(overflow_logged_, true)) {
    spdlog::warn("xmpp: {} has {} stanzas waiting for it to resume; later ones are dropped",
                 jid_.to_string(), queued_.size());
  }
}

std::vector<xml::Element> SessionHandle::take_queued() {
  overflow_logged_ = false;
  return std::exchange(queued_, {});
}

} // namespace starling::xmpp::server
