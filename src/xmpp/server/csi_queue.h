// Client State Indication (XEP-0352): what the server holds back from a client that said it
// is inactive (a phone in a pocket), so that its radio can sleep, and when it lets it go.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xmpp/xml/element.h"

namespace starling::xmpp::server {

inline constexpr std::string_view kChatStatesNamespace = // XEP-0085
    "http://jabber.org/protocol/chatstates";

// Held at most while inactive: one presence and one chat state per contact's resource make
// it a company's worth; past it everything goes out, as a client never told would get it.
inline constexpr std::size_t kMaxHeldWhileInactive = 500;

// Pure: stanzas in, stanzas to write out now. XEP-0352 §5 leaves the policy to the server;
// this one holds what only refreshes a display and sends the rest at once, with everything
// held before it so that the client sees things in order.
class CsiQueue {
public:
  // The client says it is active (true) or inactive (false). Going active gives back what
  // was held, in order.
  [[nodiscard]] std::vector<xml::Element> set_active(bool active);
  // A stanza for the client: what to write now (nothing when it is held).
  [[nodiscard]] std::vector<xml::Element> offer(const xml::Element& stanza);
  // Everything held, for a connection that goes away; the queue is active again (a new or
  // resumed stream starts active, XEP-0352 §3).
  [[nodiscard]] std::vector<xml::Element> take_all();

  [[nodiscard]] bool active() const { return active_; }

private:
  struct Held {
    // What replaces it: ("presence" or "chatstate") and the sender's full JID.
    std::optional<std::pair<std::string, std::string>> supersede_key;
    xml::Element stanza;
  };

  bool active_ = true;
  std::vector<Held> held_;
};

} // namespace starling::xmpp::server
