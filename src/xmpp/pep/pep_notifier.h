// Who hears of a change to a PEP node and how (XEP-0163 §4.3): headline messages with a
// pubsub <event/> to the owner's and the contacts' available resources that may see the node
// and asked for its notifications in their entity capabilities ("NODE+notify").
#pragma once

#include <cstdint>
#include <string_view>

#include "xmpp/im/entity_caps.h"
#include "xmpp/im/roster_source.h"
#include "xmpp/im/sessions.h"
#include "xmpp/jid.h"
#include "xmpp/pep/node_config.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::pep {

// Whether `requester` (a bare JID) may see the items of `owner`'s node (XEP-0060 §4.5).
[[nodiscard]] bool may_access(const im::RosterSource& roster, const Jid& owner,
                              const Jid& requester, AccessModel access);

// Whether capabilities with these features ask for the node's notifications.
[[nodiscard]] bool wants_notifications(const im::Features& features, std::string_view node);

// The <items/> of an event for a stored pubsub <item/> (XEP-0060 §7.1.2.1).
[[nodiscard]] xml::Element items_event(std::string_view node, const xml::Element& item);
// <items><retract id/></items> (§7.2.2.1) and <delete/> (§8.4.2.1).
[[nodiscard]] xml::Element retract_event(std::string_view node, std::string_view id);
[[nodiscard]] xml::Element delete_event(std::string_view node);

class PepNotifier {
public:
  // All three must outlive the notifier.
  PepNotifier(im::Sessions& sessions, const im::RosterSource& roster, const im::EntityCaps& caps)
      : sessions_(sessions), roster_(roster), caps_(caps) {}

  // `event` (one of the above) about `owner`'s node to everyone who should hear of it.
  void broadcast(const Jid& owner, std::string_view node, AccessModel access,
                 const xml::Element& event);
  // `event` to one resource, e.g. the last item when it becomes available (XEP-0163 §4.3.2).
  void send(const Jid& owner, im::Resource& to, const xml::Element& event);

  // Whether the resource's capabilities ask for the node's notifications.
  [[nodiscard]] bool wants(const Jid& full, std::string_view node) const;

private:
  im::Sessions& sessions_;
  const im::RosterSource& roster_;
  const im::EntityCaps& caps_;
  std::uint64_t next_id_ = 1;
};

} // namespace starling::xmpp::pep
