#include "xmpp/im/do_not_disturb_watch.h"

#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::im {

void DoNotDisturbWatch::on_available(Resource& resource, const xml::Element& presence) {
  const auto* show = presence.child(xml::kClientNamespace, "show");
  update(resource.jid, show != nullptr && show->text() == "dnd");
}

void DoNotDisturbWatch::on_unavailable(const Jid& full) {
  update(full, false);
}

void DoNotDisturbWatch::update(const Jid& full, bool dnd) {
  const Jid user = full.bare();
  auto found = dnd_resources_.find(user);
  const bool before = found != dnd_resources_.end();
  if (dnd) {
    dnd_resources_[user].emplace(full.resource());
  } else if (before) {
    found->second.erase(full.resource());
    if (found->second.empty()) {
      dnd_resources_.erase(found);
    }
  }
  const bool after = dnd_resources_.contains(user);
  if (before != after && listener_) {
    listener_(user.local(), after);
  }
}

} // namespace starling::xmpp::im
