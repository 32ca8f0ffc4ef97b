#include "xmpp/im/memory_user_data.h"

namespace starling::xmpp::im {

namespace {

using AddressView = std::tuple<std::string_view, std::string_view, std::string_view>;

} // namespace

const xml::Element* MemoryUserData::find(std::string_view user, std::string_view kind,
                                         std::string_view key) const {
  const auto found = entries_.find(AddressView{user, kind, key});
  return found == entries_.end() ? nullptr : &found->second;
}

std::vector<std::pair<std::string, const xml::Element*>>
MemoryUserData::list(std::string_view user, std::string_view kind) const {
  std::vector<std::pair<std::string, const xml::Element*>> found;
  // Keys sort after "" within one (user, kind), so the kind's entries start here.
  for (auto it = entries_.lower_bound(AddressView{user, kind, ""}); it != entries_.end(); ++it) {
    const auto& [entry_user, entry_kind, entry_key] = it->first;
    if (entry_user != user || entry_kind != kind) {
      break;
    }
    found.emplace_back(entry_key, &it->second);
  }
  return found;
}

void MemoryUserData::put(std::string_view user, std::string_view kind, std::string_view key,
                         xml::Element value) {
  const auto found = entries_.find(AddressView{user, kind, key});
  if (found != entries_.end()) {
    found->second = std::move(value);
    return;
  }
  entries_.emplace(Address{user, kind, key}, std::move(value));
}

void MemoryUserData::remove(std::string_view user, std::string_view kind, std::string_view key) {
  const auto found = entries_.find(AddressView{user, kind, key});
  if (found != entries_.end()) {
    entries_.erase(found);
  }
}

void MemoryUserData::remove_user(std::string_view user) {
  auto it = entries_.lower_bound(AddressView{user, "", ""});
  while (it != entries_.end() && std::get<0>(it->first) == user) {
    it = entries_.erase(it);
  }
}

} // namespace starling::xmpp::im
