// PEP notifications (XEP-0163 §4.3, XEP-0060 §7.1.2.1).
#include "xmpp/pep/pep_notifier.h"

#include <algorithm>
#include <string>

#include "xmpp/pep/pubsub_namespaces.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::pep {

bool may_access(const im::RosterSource& roster, const Jid& owner, const Jid& requester,
                AccessModel access) {
  if (requester == owner) {
    return true;
  }
  switch (access) {
  case AccessModel::open:
    return true;
  case AccessModel::whitelist:
    return false; // the owner is the only one on it
  case AccessModel::presence:
    return std::ranges::any_of(roster.roster(owner), [&](const im::RosterItem& item) {
      return item.jid == requester && im::contact_sees_user(item.subscription);
    });
  }
  return false;
}

xml::Element items_event(std::string_view node, const xml::Element& item) {
  xml::Element items(kPubsubEventNamespace, "items");
  items.set_attribute("node", node);
  auto& out = items.append(xml::Element(kPubsubEventNamespace, "item"));
  out.set_attribute("id", item.attribute("id").value_or(""));
  for (const auto& payload : item.elements()) {
    out.append(payload);
  }
  return items;
}

xml::Element retract_event(std::string_view node, std::string_view id) {
  xml::Element items(kPubsubEventNamespace, "items");
  items.set_attribute("node", node);
  items.append(xml::Element(kPubsubEventNamespace, "retract")).set_attribute("id", id);
  return items;
}

xml::Element delete_event(std::string_view node) {
  return xml::Element(kPubsubEventNamespace, "delete").set_attribute("node", node);
}

bool wants_notifications(const im::Features& features, std::string_view node) {
  return features.contains(std::string(node) + std::string(kNotifySuffix));
}

bool PepNotifier::wants(const Jid& full, std::string_view node) const {
  const auto* features = caps_.features(full);
  return features != nullptr && wants_notifications(*features, node);
}

void PepNotifier::broadcast(const Jid& owner, std::string_view node, AccessModel access,
                            const xml::Element& event) {
  // XEP-0163 §4.3.1: the owner, automatically subscribed, and the contacts the access model
  // lets see the node; §4.3.3: only resources that asked for it.
  std::vector<Jid> users{owner};
  if (access != AccessModel::whitelist) {
    for (const auto& item : roster_.roster(owner)) {
      if (im::contact_sees_user(item.subscription)) {
        users.push_back(item.jid);
      }
    }
  }
  for (const auto& user : users) {
    for (auto* resource : sessions_.available_resources(user)) {
      if (wants(resource->jid, node)) {
        send(owner, *resource, event);
      }
    }
  }
}

void PepNotifier::send(const Jid& owner, im::Resource& to, const xml::Element& event) {
  xml::Element message(xml::kClientNamespace, "message");
  message.set_attribute("from", owner.to_string())
      .set_attribute("to", to.jid.to_string())
      .set_attribute("type", "headline") // XEP-0163 §4.3.1: not stored offline, not archived
      .set_attribute("id", "pep-" + std::to_string(next_id_++));
  message.append(xml::Element(kPubsubEventNamespace, "event")).append(event);
  to.session->deliver(message);
}

} // namespace starling::xmpp::pep
