// Delivers, stores or drops a message for a local user (RFC 6121 §8.5.2–§8.5.3).
#include "xmpp/im/user_delivery.h"

#include <algorithm>
#include <ranges>

#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::im {

std::string_view message_type(const xml::Element& message) {
  const auto type = message.attribute("type").value_or("normal");
  for (std::string_view known : {"chat", "error", "groupchat", "headline"}) {
    if (type == known) {
      return known;
    }
  }
  return "normal";
}

bool UserDelivery::is_local_user(const Jid& jid) const {
  return jid.domain() == domain_ && !jid.local().empty() && accounts_.has_account(jid.local());
}

UserDelivery::Outcome UserDelivery::deliver(const Jid& to, const xml::Element& message) {
  const auto type = message_type(message);
  if (!to.is_bare()) {
    if (auto* resource = sessions_.find(to)) {
      resource->session->deliver(message); // §8.5.3.1
      tell_if_waiting(to, message, {resource});
      return {.delivered = {resource}};
    }
    // §8.5.3.2.1: chat and normal fall back to the bare JID; headline and error are dropped.
    if (type == "groupchat") {
      return {.delivered = {}, .refused = true};
    }
    if (type != "chat" && type != "normal") {
      return {};
    }
  }
  if (type == "error") {
    return {}; // §8.5.2.1.1
  }
  if (type == "groupchat") {
    return {.delivered = {}, .refused = true}; // §8.5.2.1.1
  }
  // §8.5.2.1.1: resources with a negative priority never get messages for the bare JID.
  auto candidates = sessions_.available_resources(to);
  std::erase_if(candidates, [](const Resource* r) { return r->presence.priority < 0; });
  if (candidates.empty()) {
    // §8.5.2.2.1: chat and normal wait offline (XEP-0160); headline is dropped.
    if (type != "headline") {
      offline_.store(to.bare(), message);
      tell_if_waiting(to, message, {});
    }
    return {};
  }
  if (type != "headline") {
    // chat and normal go to the "most available" resources: all of those sharing the
    // highest priority. Headlines go to every non-negative resource.
    const auto highest = std::ranges::max(
        candidates | std::views::transform([](const Resource* r) { return r->presence.priority; }));
    std::erase_if(candidates, [&](const Resource* r) { return r->presence.priority != highest; });
  }
  for (auto* resource : candidates) {
    resource->session->deliver(message);
  }
  tell_if_waiting(to, message, candidates);
  return {.delivered = std::move(candidates)};
}

void UserDelivery::on_unacknowledged(const Jid& user, const xml::Element& message) {
  if (message.is(xml::kClientNamespace, "message")) {
    tell_if_waiting(user, message, {});
  }
}

void UserDelivery::tell_if_waiting(const Jid& to, const xml::Element& message,
                                   const std::vector<Resource*>& delivered) {
  const auto type = message_type(message);
  if ((type != "chat" && type != "normal") ||
      std::ranges::any_of(delivered, [](const Resource* r) { return r->session->connected(); })) {
    return;
  }
  for (auto* listener : listeners_) {
    listener->on_message_waiting(to.bare(), message);
  }
}

} // namespace starling::xmpp::im
