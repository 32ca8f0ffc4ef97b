// Users' phone states from call events.
#include "xmpp/server/phone_calls.h"

#include <utility>

namespace starling::xmpp::server {

namespace {

bool is_conversation(std::string_view state) {
  return state == "connected" || state == "held";
}

} // namespace

std::optional<std::string> PhoneCalls::state_of(const std::string& user) const {
  std::optional<std::string> state;
  for (const auto& [id, call] : calls_) {
    if (is_conversation(call.state) && call.users.contains(user) && state != "connected") {
      state = call.state;
    }
  }
  return state;
}

std::vector<PhoneStateChange> PhoneCalls::on_call(const std::string& call_id,
                                                  std::set<std::string> users,
                                                  std::string_view state) {
  auto affected = users;
  if (const auto earlier = calls_.find(call_id); earlier != calls_.end()) {
    affected.insert(earlier->second.users.begin(), earlier->second.users.end());
  }
  if (state == "ended") {
    calls_.erase(call_id);
  } else {
    calls_.insert_or_assign(call_id, Call{std::move(users), std::string(state)});
  }
  std::vector<PhoneStateChange> changes;
  for (const auto& user : affected) {
    auto now = state_of(user);
    const auto before = on_the_phone_.find(user);
    const bool was_on_the_phone = before != on_the_phone_.end();
    if (was_on_the_phone && now == before->second) {
      continue;
    }
    if (!was_on_the_phone && !now) {
      continue;
    }
    if (now) {
      on_the_phone_.insert_or_assign(user, *now);
    } else {
      on_the_phone_.erase(before);
    }
    changes.push_back({user, std::move(now)});
  }
  return changes;
}

} // namespace starling::xmpp::server
