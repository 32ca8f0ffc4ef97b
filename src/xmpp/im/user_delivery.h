// RFC 6121 §8.5.2–§8.5.3: where a message for a local user goes (some of the user's
// resources, offline storage, or nowhere), for the router and for components such as group
// chat, whose invitations must reach an invitee who is offline too.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xmpp/im/message_waiting_listener.h"
#include "xmpp/im/offline_store.h"
#include "xmpp/im/roster_source.h"
#include "xmpp/im/sessions.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// RFC 6121 §5.2.2: a missing or unknown message type means "normal".
[[nodiscard]] std::string_view message_type(const xml::Element& message);

// Runs on the router's thread.
class UserDelivery {
public:
  // `domain` is the canonical XMPP domain; the others must outlive it.
  UserDelivery(std::string domain, Sessions& sessions, const RosterSource& accounts,
               OfflineStore& offline)
      : domain_(std::move(domain)), sessions_(sessions), accounts_(accounts), offline_(offline) {}

  // From now on, `listener` learns of messages that wait for a user with no client connected
  // to take them; it must outlive this.
  void add_waiting_listener(MessageWaitingListener& listener) { listeners_.push_back(&listener); }

  // Whether `jid` is an account of this server, so that messages to it are delivered here
  // (§8.5.2) rather than refused (§8.5.1).
  [[nodiscard]] bool is_local_user(const Jid& jid) const;

  struct Outcome {
    std::vector<Resource*> delivered;
    // A groupchat message for a user, not an occupant: the sender gets service-unavailable.
    bool refused = false;
  };
  // `to` must be a local user's; `message` goes as it is.
  Outcome deliver(const Jid& to, const xml::Element& message);
  // `message`, delivered to a resource of `user` whose connection then went before the client
  // acknowledged it (XEP-0198), waits for the session to be resumed: the listeners hear of
  // it as of any message that no connected client took.
  void on_unacknowledged(const Jid& user, const xml::Element& message);

private:
  // Tells the listeners of a chat or normal message when none of `delivered` has a client
  // connected.
  void tell_if_waiting(const Jid& to, const xml::Element& message,
                       const std::vector<Resource*>& delivered);

  std::string domain_;
  Sessions& sessions_;
  const RosterSource& accounts_;
  OfflineStore& offline_;
  std::vector<MessageWaitingListener*> listeners_;
};

} // namespace starling::xmpp::im
