// The combined roster: shared directory items over personal items kept in UserData.
#include "xmpp/im/roster.h"

#include <algorithm>

namespace starling::xmpp::im {

std::vector<RosterItem> Roster::roster(const Jid& user) const {
  auto items = shared_.roster(user);
  const auto shared_count = items.size();
  for (const auto& [key, element] : data_.list(user.local(), kRosterKind)) {
    auto item = from_element(*element);
    if (!item) {
      continue;
    }
    const auto shadowed = std::ranges::any_of(
        items.begin(), items.begin() + static_cast<std::ptrdiff_t>(shared_count),
        [&](const RosterItem& shared) { return shared.jid == item->jid; });
    if (!shadowed) {
      items.push_back(std::move(*item));
    }
  }
  return items;
}

bool Roster::has_account(std::string_view localpart) const {
  return shared_.has_account(localpart);
}

std::optional<RosterItem> Roster::shared_item(const Jid& user, const Jid& contact) const {
  for (auto& item : shared_.roster(user)) {
    if (item.jid == contact) {
      return std::move(item);
    }
  }
  return std::nullopt;
}

std::optional<RosterItem> Roster::personal_item(const Jid& user, const Jid& contact) const {
  const auto* element = data_.find(user.local(), kRosterKind, contact.to_string());
  return element != nullptr ? from_element(*element) : std::nullopt;
}

std::optional<RosterItem> Roster::find(const Jid& user, const Jid& contact) const {
  if (auto shared = shared_item(user, contact)) {
    return shared;
  }
  return personal_item(user, contact);
}

void Roster::store(const Jid& user, const RosterItem& item) {
  data_.put(user.local(), kRosterKind, item.jid.to_string(), to_element(item));
}

RosterItem Roster::set_item(const Jid& user, const Jid& contact, std::string name,
                            std::vector<std::string> groups) {
  RosterItem item = personal_item(user, contact).value_or(RosterItem{.jid = contact});
  item.name = std::move(name);
  item.groups = std::move(groups);
  store(user, item);
  return item;
}

void Roster::remove_item(const Jid& user, const Jid& contact) {
  data_.remove(user.local(), kRosterKind, contact.to_string());
  data_.remove(user.local(), kPendingInKind, contact.to_string());
}

SubscriptionState Roster::state(const Jid& user, const Jid& contact) const {
  const auto item = find(user, contact);
  return {.subscription = item ? item->subscription : Subscription::none,
          .pending_out = item && item->ask,
          .pending_in = data_.find(user.local(), kPendingInKind, contact.to_string()) != nullptr};
}

std::optional<RosterItem> Roster::set_state(const Jid& user, const Jid& contact,
                                            SubscriptionState next) {
  if (!next.pending_in) {
    data_.remove(user.local(), kPendingInKind, contact.to_string());
  }
  auto item = personal_item(user, contact);
  if (!item) {
    if (next.subscription == Subscription::none && !next.pending_out) {
      return std::nullopt; // §3.1.3: a request alone makes no roster item
    }
    item = RosterItem{.jid = contact};
  } else if (item->subscription == next.subscription && item->ask == next.pending_out) {
    return std::nullopt;
  }
  item->subscription = next.subscription;
  item->ask = next.pending_out;
  store(user, *item);
  return item;
}

void Roster::add_pending_in(const Jid& user, const Jid& contact, const xml::Element& request) {
  data_.put(user.local(), kPendingInKind, contact.to_string(), request);
}

std::vector<xml::Element> Roster::pending_in(const Jid& user) const {
  std::vector<xml::Element> requests;
  for (const auto& [key, element] : data_.list(user.local(), kPendingInKind)) {
    requests.push_back(*element);
  }
  return requests;
}

} // namespace starling::xmpp::im
