// The all-colleagues roster.
#include "xmpp/im/directory_roster.h"

namespace starling::xmpp::im {

DirectoryRoster::DirectoryRoster(std::string_view domain, const std::vector<Colleague>& colleagues)
    : domain_(domain) {
  set_colleagues(colleagues);
}

void DirectoryRoster::set_colleagues(const std::vector<Colleague>& colleagues) {
  items_.clear();
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
}

std::vector<RosterItem> DirectoryRoster::roster(const Jid& user) const {
  std::vector<RosterItem> out;
  if (!items_.contains(user.local())) {
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
