// The registry of bound resources.
#include "xmpp/im/sessions.h"

#include <utility>

namespace starling::xmpp::im {

Resource& Sessions::bind(Session& session, const Jid& full) {
  auto& resources = users_[full.bare()];
  return resources
      .insert_or_assign(full.resource(), Resource{.jid = full, .session = &session, .presence = {}})
      .first->second;
}

std::optional<Resource> Sessions::unbind(const Session& session, const Jid& full) {
  auto user = users_.find(full.bare());
  if (user == users_.end()) {
    return std::nullopt;
  }
  auto it = user->second.find(full.resource());
  // A stream that lost its resource to a newer one must not remove the newer one.
  if (it == user->second.end() || it->second.session != &session) {
    return std::nullopt;
  }
  Resource removed = std::move(it->second);
  user->second.erase(it);
  if (user->second.empty()) {
    users_.erase(user);
  }
  return removed;
}

Resource* Sessions::find(const Jid& full) {
  auto user = users_.find(full.bare());
  if (user == users_.end()) {
    return nullptr;
  }
  auto it = user->second.find(full.resource());
  return it == user->second.end() ? nullptr : &it->second;
}

std::vector<Resource*> Sessions::resources(const Jid& bare) {
  std::vector<Resource*> out;
  if (auto user = users_.find(bare.bare()); user != users_.end()) {
    for (auto& [name, resource] : user->second) {
      out.push_back(&resource);
    }
  }
  return out;
}

std::vector<Resource*> Sessions::available_resources(const Jid& bare) {
  std::vector<Resource*> out;
  if (auto user = users_.find(bare.bare()); user != users_.end()) {
    for (auto& [name, resource] : user->second) {
      if (resource.presence.available) {
        out.push_back(&resource);
      }
    }
  }
  return out;
}

std::size_t Sessions::size() const {
  std::size_t count = 0;
  for (const auto& [bare, resources] : users_) {
    count += resources.size();
  }
  return count;
}

} // namespace starling::xmpp::im
