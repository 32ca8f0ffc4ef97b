// A bound resource's handle in the router, attached to a connection or detached from it.
#include "xmpp/server/session_handle.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include <spdlog/spdlog.h>

namespace starling::xmpp::server {

void SessionHandle::deliver(const xml::Element& stanza) {
  if (!router_.allows_delivery(stanza, jid_)) {
    return;
  }
  if (connection_ != nullptr) {
    for (const auto& ready : csi_.offer(stanza)) {
      connection_->deliver(ready);
    }
  } else if (queued_.size() < kMaxQueuedWhileDetached) {
    queued_.push_back(stanza);
  } else if (!std::exchange(overflow_logged_, true)) {
    spdlog::warn("xmpp: {} has {} stanzas waiting for it to resume; later ones are dropped",
                 jid_.to_string(), queued_.size());
  }
}

void SessionHandle::detach() {
  connection_ = nullptr;
  std::ranges::move(csi_.take_all(), std::back_inserter(queued_));
}

void SessionHandle::set_client_active(bool active) {
  auto ready = csi_.set_active(active);
  if (connection_ != nullptr) {
    for (const auto& stanza : ready) {
      connection_->deliver(stanza);
    }
  }
}

std::vector<xml::Element> SessionHandle::take_queued() {
  overflow_logged_ = false;
  return std::exchange(queued_, {});
}

} // namespace starling::xmpp::server
