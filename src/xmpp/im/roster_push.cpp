// Roster pushes to interested resources.
#include "xmpp/im/roster_push.h"

#include <string>

#include "xmpp/im/namespaces.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::im {

void RosterPushes::push(const Jid& user, const xml::Element& item) {
  for (auto* resource : sessions_.resources(user.bare())) {
    if (!resource->presence.interested) {
      continue;
    }
    xml::Element iq(xml::kClientNamespace, "iq");
    iq.set_attribute("to", resource->jid.to_string());
    iq.set_attribute("type", "set");
    iq.set_attribute("id", "roster-push-" + std::to_string(next_id_++));
    iq.append(xml::Element(kRosterNamespace, "query")).append(item);
    resource->session->deliver(iq);
  }
}

void RosterPushes::push_item(const Jid& user, const RosterItem& item) {
  push(user, to_element(item, kRosterNamespace));
}

void RosterPushes::push_removal(const Jid& user, const Jid& contact) {
  xml::Element item(kRosterNamespace, "item");
  item.set_attribute("jid", contact.to_string());
  item.set_attribute("subscription", "remove");
  push(user, item);
}

} // namespace starling::xmpp::im
