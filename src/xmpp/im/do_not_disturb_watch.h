// Do not disturb set in a chat client (<show>dnd</show>, RFC 6121 §4.7.2.1), for call
// routing: a user is "do not disturb" while any of their own available resources shows dnd.
// The server's phone resource and the busy look of a user in a call are not the user's
// choice and never pass through here (they bypass the resource observers).
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>

#include "xmpp/im/resource_observer.h"

namespace starling::xmpp::im {

class DoNotDisturbWatch final : public ResourceObserver {
public:
  // Told the user's local part and the new state, on the router's thread, only on changes.
  using Listener = std::function<void(const std::string& user, bool on)>;

  // Set before the router runs.
  void set_listener(Listener listener) { listener_ = std::move(listener); }

  void on_available(Resource& resource, const xml::Element& presence) override;
  void on_unavailable(const Jid& full) override;

private:
  void update(const Jid& full, bool dnd);

  // bare JID → the resources showing dnd
  std::map<Jid, std::set<std::string, std::less<>>> dnd_resources_;
  Listener listener_;
};

} // namespace starling::xmpp::im
