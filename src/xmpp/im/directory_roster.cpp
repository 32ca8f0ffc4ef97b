// The all-colleagues roster.
#include "xmpp/im/directory_roster.h"

#include <utility>

namespace starling::xmpp::im {

DirectoryRoster::DirectoryRoster(std::string_view domain, const std::vector<Colleague>& colleagues)
    : domain_(domain) {
  set_colleagues(colleagues);
}

DirectoryChange DirectoryRoster::set_colleagues(const std::vector<Colleague>& colleagues) {
  auto before = std::exchange(items_, {});
  for (const auto& colleague : colleagues) {
    auto jid = Jid::from_parts(colleague.username, domain_);
    if (!jid || jid->local().empty()) {
      continue;
    }
    std::string local = jid->local();
    items_.insert_or_assign(std::move(local), RosterItem{.jid = std::move(*jid),
                                                         .name = colleague.display_name,
                                                         .subscription = Subscription::both,
                                                         .groups = {std::string(kColleaguesGroup)},
                                                         .shared = true});
  }
  DirectoryChange change;
  for (const auto& [local, item] : items_) {
    const auto old = before.find(local);
    if (old == before.end() || old->second != item) {
      change.changed.push_back(item);
    }
  }
  for (const auto& [local, item] : before) {
    if (!items_.contains(local)) {
      change.removed.push_back(item.jid);
    }
  }
  return change;
}

void DirectoryRoster::push(const DirectoryChange& change, RosterPushes& pushes) const {
  if (!share_) {
    return;
  }
  for (const auto& [local, member] : items_) {
    for (const auto& item : change.changed) {
      if (item.jid != member.jid) {
        pushes.push_item(member.jid, item);
      }
    }
    for (const auto& removed : change.removed) {
      pushes.push_removal(member.jid, removed);
    }
  }
}

std::vector<RosterItem> DirectoryRoster::roster(const Jid& user) const {
  std::vector<RosterItem> out;
  if (!share_ || !items_.contains(user.local())) {
    return out;
  }
  out.reserve(items_.size() - 1);
  for (const auto& [local, item] : items_) {
    if (local != user.local()) {
      out.push_back(item);
    }
  }
  return out;
}

bool DirectoryRoster::has_account(std::string_view localpart) const {
  return items_.contains(localpart);
}

} // namespace starling::xmpp::im
