// The holding policy of Client State Indication (XEP-0352).
#include "xmpp/server/csi_queue.h"

#include <algorithm>
#include <ranges>

#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::server {

namespace {

// What may wait, and what a later stanza of the same key makes stale: presence that only
// shows a contact's availability (RFC 6121 §4; subscription requests are questions the user
// must see), and a message that carries only a chat state (XEP-0085), no body.
std::optional<std::pair<std::string, std::string>> supersede_key(const xml::Element& stanza) {
  const std::string from(stanza.attribute("from").value_or(""));
  if (stanza.name() == "presence") {
    const auto type = stanza.attribute("type");
    if (!type || *type == "unavailable") {
      return std::pair<std::string, std::string>{"presence", from};
    }
    return std::nullopt;
  }
  if (stanza.name() == "message" && stanza.attribute("type") != "error" &&
      stanza.child(xml::kClientNamespace, "body") == nullptr &&
      std::ranges::any_of(stanza.elements(), [](const xml::Element& child) {
        return child.ns() == kChatStatesNamespace;
      })) {
    return std::pair<std::string, std::string>{"chatstate", from};
  }
  return std::nullopt;
}

} // namespace

std::vector<xml::Element> CsiQueue::set_active(bool active) {
  active_ = active;
  return active ? take_all() : std::vector<xml::Element>{};
}

std::vector<xml::Element> CsiQueue::take_all() {
  active_ = true;
  std::vector<xml::Element> out;
  out.reserve(held_.size());
  for (auto& held : held_) {
    out.push_back(std::move(held.stanza));
  }
  held_.clear();
  return out;
}

std::vector<xml::Element> CsiQueue::offer(const xml::Element& stanza) {
  if (active_) {
    return {stanza};
  }
  auto key = supersede_key(stanza);
  if (!key) {
    // Urgent (a message with a body, an iq, a subscription request): it goes with all that
    // waited before it.
    auto out = take_all();
    active_ = false;
    out.push_back(stanza);
    return out;
  }
  std::erase_if(held_, [&](const Held& held) { return held.supersede_key == key; });
  held_.push_back({std::move(key), stanza});
  if (held_.size() > kMaxHeldWhileInactive) {
    auto out = take_all();
    active_ = false;
    return out;
  }
  return {};
}

} // namespace starling::xmpp::server
