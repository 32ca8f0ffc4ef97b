// Presence broadcasts, probes and subscriptions between local users.
#include "xmpp/im/presence_broker.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <utility>

#include "xmpp/im/phone_presence.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::im {

namespace {

std::vector<Resource*> without(std::vector<Resource*> resources, const Resource& excluded) {
  std::erase_if(resources, [&](const Resource* r) { return r->jid == excluded.jid; });
  return resources;
}

const RosterItem* find_item(const std::vector<RosterItem>& roster, const Jid& bare) {
  auto it = std::ranges::find_if(roster, [&](const RosterItem& item) { return item.jid == bare; });
  return it == roster.end() ? nullptr : &*it;
}

} // namespace

Priority parse_priority(const xml::Element& presence) {
  const auto* element = presence.child(xml::kClientNamespace, "priority");
  if (element == nullptr) {
    return 0;
  }
  const std::string text = element->text();
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < -128 || value > 127) {
    return 0;
  }
  return static_cast<Priority>(value);
}

void PresenceBroker::deliver_to(const std::vector<Resource*>& resources,
                                const xml::Element& stanza) {
  for (auto* resource : resources) {
    xml::Element copy = stanza;
    copy.set_attribute("to", resource->jid.to_string());
    resource->session->deliver(copy);
  }
}

void PresenceBroker::on_broadcast(Resource& sender, const xml::Element& presence) {
  const auto type = presence.attribute("type");
  if (!type) {
    become_available(sender, presence);
  } else if (*type == "unavailable") {
    become_unavailable(sender, presence);
  }
  // RFC 6121 §4.3: a client does not probe; subscription requests need a 'to'.
}

void PresenceBroker::on_closed(Resource& closed) {
  if (!closed.presence.available) {
    return;
  }
  xml::Element unavailable(xml::kClientNamespace, "presence");
  unavailable.set_attribute("from", closed.jid.to_string());
  unavailable.set_attribute("type", "unavailable");
  become_unavailable(closed, unavailable);
}

void PresenceBroker::become_available(Resource& sender, xml::Element presence) {
  auto& state = sender.presence;
  // RFC 6121 §4.2: the first available presence after connecting or going unavailable.
  const bool initial = !state.available;
  presence.remove_attribute({}, "to");
  state.available = true;
  state.initial_presence_sent = true;
  const auto* show = presence.child(xml::kClientNamespace, "show");
  state.show = show != nullptr ? show->text() : std::string();
  const auto* status = presence.child(xml::kClientNamespace, "status");
  state.status = status != nullptr ? status->text() : std::string();
  state.priority = parse_priority(presence);
  state.stanza = presence;

  const Jid user = sender.jid.bare();
  const auto roster = roster_.roster(user);
  broadcast(sender, roster, as_seen(sender));
  if (!initial) {
    return;
  }
  // §4.2.2 and §4.3: the probe of each contact the user is subscribed to. For local contacts
  // the answer is immediate: the last presence of each of their available resources.
  auto answer_probe = [&](const std::vector<Resource*>& resources) {
    for (const auto* resource : resources) {
      if (resource->presence.stanza) {
        xml::Element copy = as_seen(*resource);
        copy.set_attribute("to", sender.jid.to_string());
        sender.session->deliver(copy);
      }
    }
  };
  for (const auto& item : roster) {
    if (user_sees_contact(item.subscription)) {
      answer_probe(sessions_.available_resources(item.jid));
    }
  }
  answer_probe(without(sessions_.available_resources(user), sender));
  // §3.1.3: subscription requests that came while the user was offline, or unanswered.
  for (const auto& request : roster_.pending_in(user)) {
    sender.session->deliver(request);
  }
  // XEP-0160 §3: offline messages go to the first resource that can take messages, one
  // with non-negative priority (RFC 6121 §8.5.2.1.1).
  if (state.priority >= 0) {
    for (auto& message : offline_.take(user)) {
      sender.session->deliver(message);
    }
  }
}

void PresenceBroker::broadcast(const Resource& sender, const std::vector<RosterItem>& roster,
                               const xml::Element& presence) {
  for (const auto& item : roster) {
    if (contact_sees_user(item.subscription)) {
      deliver_to(sessions_.available_resources(item.jid), presence);
    }
  }
  deliver_to(sessions_.available_resources(sender.jid.bare()), presence);
}

xml::Element PresenceBroker::as_seen(const Resource& resource) const {
  const auto call = phone_calls_.find(resource.jid.bare());
  if (call == phone_calls_.end() || resource.jid.resource() == kPhoneResource) {
    return *resource.presence.stanza;
  }
  return on_the_phone(*resource.presence.stanza, call->second);
}

void PresenceBroker::set_phone_call(const Jid& user, std::optional<std::string_view> call_state) {
  if (call_state) {
    phone_calls_.insert_or_assign(user, std::string(*call_state));
  } else if (phone_calls_.erase(user) == 0) {
    return;
  }
  const auto roster = roster_.roster(user);
  for (const auto* resource : sessions_.available_resources(user)) {
    if (resource->presence.stanza && resource->jid.resource() != kPhoneResource) {
      broadcast(*resource, roster, as_seen(*resource));
    }
  }
}

void PresenceBroker::become_unavailable(Resource& sender, const xml::Element& presence) {
  auto& state = sender.presence;
  if (!state.available) {
    return; // nothing was broadcast, so there is nothing to withdraw
  }
  xml::Element unavailable = presence;
  unavailable.remove_attribute({}, "to");
  state.available = false;
  state.stanza.reset();
  state.show.clear();
  state.status.clear();
  state.priority = 0;
  const auto directed = std::exchange(state.directed, {});

  // §4.5.2: to subscribed contacts, to the user's other available resources, and to the
  // entities sent directed presence.
  const Jid user = sender.jid.bare();
  for (const auto& item : roster_.roster(user)) {
    if (contact_sees_user(item.subscription)) {
      deliver_to(sessions_.available_resources(item.jid), unavailable);
    }
  }
  deliver_to(without(sessions_.available_resources(user), sender), unavailable);
  for (const auto& entity : directed) {
    deliver_to(sessions_.available_resources(entity), unavailable);
  }
}

void PresenceBroker::on_directed(Resource& sender, const Jid& to, const xml::Element& presence) {
  const auto type = presence.attribute("type");
  if (type && *type != "unavailable") {
    if (*type == "error") {
      // An error about presence we delivered: only to the resource it answers.
      if (auto* target = to.is_bare() ? nullptr : sessions_.find(to)) {
        target->session->deliver(presence);
      }
    }
    return; // subscriptions are the router's Subscriptions'; clients do not probe (§4.3)
  }
  if (!roster_.has_account(to.local())) {
    return; // RFC 6121 §8.5.1: presence to no account is silently ignored
  }
  // §4.6.2: delivered to the resource named, or to all available resources of a bare JID.
  if (to.is_bare()) {
    for (auto* resource : sessions_.available_resources(to)) {
      resource->session->deliver(presence);
    }
  } else if (auto* target = sessions_.find(to)) {
    target->session->deliver(presence);
  }
  // §4.6.3: remember entities outside the broadcast, to tell them of unavailability.
  const auto roster = roster_.roster(sender.jid.bare());
  const auto* item = find_item(roster, to.bare());
  const bool broadcast_reaches = item != nullptr && contact_sees_user(item->subscription);
  if (sender.presence.available && !broadcast_reaches && to.bare() != sender.jid.bare()) {
    if (type) {
      sender.presence.directed.erase(to);
    } else {
      sender.presence.directed.insert(to);
    }
  }
}

void PresenceBroker::send_current_presence(const Jid& user, const Jid& contact) {
  const auto receivers = sessions_.available_resources(contact);
  for (const auto* resource : sessions_.available_resources(user)) {
    if (resource->presence.stanza) {
      deliver_to(receivers, as_seen(*resource));
    }
  }
}

void PresenceBroker::send_unavailable(const Jid& user, const Jid& contact) {
  const auto receivers = sessions_.available_resources(contact);
  for (const auto* resource : sessions_.available_resources(user)) {
    xml::Element unavailable(xml::kClientNamespace, "presence");
    unavailable.set_attribute("from", resource->jid.to_string());
    unavailable.set_attribute("type", "unavailable");
    deliver_to(receivers, unavailable);
  }
}

} // namespace starling::xmpp::im
