// The bound resources of each local user and the presence each has broadcast (RFC 6121 §4).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "xmpp/im/session.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// RFC 6121 §4.7.2.3: a priority is an integer from -128 to +127; absent means zero.
using Priority = std::int8_t;

// What a resource last told the server about itself.
struct ResourcePresence {
  // RFC 6121 §1.3: "available resource" once it has sent initial presence and until it
  // sends unavailable presence; before that it is only "connected".
  bool available = false;
  bool initial_presence_sent = false;
  // RFC 6121 §1.3: "interested resource" once it has asked for the roster.
  bool interested = false;
  std::string show;   // §4.7.2.1: away, chat, dnd, xa; empty when plain available
  std::string status; // §4.7.2.2: the first <status/>
  Priority priority = 0;
  // The last available presence stanza as broadcast ('from' = the full JID, no 'to'), to
  // answer probes with (§4.3.2).
  std::optional<xml::Element> stanza;
  // §4.6.3: entities outside the roster's broadcast that were sent directed available
  // presence, to be told when the resource becomes unavailable.
  std::set<Jid> directed;
};

// One bound resource: its address, its stream and its presence.
struct Resource {
  Jid jid; // full
  Session* session = nullptr;
  ResourcePresence presence;
  // XEP-0280 §4: copies of the user's messages to and from other resources wanted.
  bool carbons = false;
};

// The registry. Session handles are borrowed: the owner removes a session before it dies.
class Sessions {
public:
  // Registers a newly bound resource, replacing one bound with the same full JID.
  Resource& bind(Session& session, const Jid& full);
  // Removes the resource if it is still bound to this session; the removed entry.
  std::optional<Resource> unbind(const Session& session, const Jid& full);

  [[nodiscard]] Resource* find(const Jid& full);
  // The resources of a bare JID, connected or available.
  [[nodiscard]] std::vector<Resource*> resources(const Jid& bare);
  // Only the available ones (RFC 6121 §1.3).
  [[nodiscard]] std::vector<Resource*> available_resources(const Jid& bare);
  [[nodiscard]] std::size_t size() const;

private:
  // bare JID → resourcepart → resource.
  std::map<Jid, std::map<std::string, Resource, std::less<>>> users_;
};

} // namespace starling::xmpp::im
