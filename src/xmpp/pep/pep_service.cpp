// Personal eventing (XEP-0163) over the XEP-0060 requests it uses.
#include "xmpp/pep/pep_service.h"

#include <algorithm>
#include <charconv>
#include <ranges>

#include <fmt/format.h>

#include "xmpp/im/namespaces.h"
#include "xmpp/im/stanza_error.h"
#include "xmpp/pep/pubsub_namespaces.h"

namespace starling::xmpp::pep {

namespace {

using enum im::StanzaErrorCondition;
using im::kDiscoInfoNamespace;
using im::kDiscoItemsNamespace;

// XEP-0060 §7.1.3 and friends: a stanza error with a pubsub#errors condition.
xml::Element pubsub_error(const xml::Element& iq, im::StanzaErrorCondition condition,
                          std::string_view pubsub_condition = {}) {
  auto reply = im::make_error_reply(iq, condition);
  if (!pubsub_condition.empty()) {
    reply.child(iq.ns(), "error")->append(xml::Element(kPubsubErrorsNamespace, pubsub_condition));
  }
  return reply;
}

// The service a request is for: an explicit local bare JID, or with no 'to' (or the
// sender's own bare JID) the sender's account; nothing for the server's domain.
std::optional<Jid> service_owner(const im::Resource& sender, const std::optional<Jid>& to,
                                 const xml::Element& iq) {
  if (to) {
    return to->bare();
  }
  const auto to_text = iq.attribute("to");
  if (!to_text) {
    return sender.jid.bare();
  }
  auto parsed = Jid::parse(*to_text);
  return parsed && !parsed->local().empty() ? std::optional(parsed->bare()) : std::nullopt;
}

const xml::Element* publish_options_form(const xml::Element& pubsub) {
  const auto* options = pubsub.child(kPubsubNamespace, "publish-options");
  return options == nullptr ? nullptr : options->child(im::kDataFormsNamespace, "x");
}

bool notify_requested(const xml::Element& retract) {
  const auto notify = retract.attribute("notify");
  return notify == "true" || notify == "1";
}

} // namespace

void PepService::announce(im::ServerIq& server_iq) {
  using im::ServerIq;
  server_iq.add_identity(ServerIq::FeatureOf::account, "pubsub", "pep"); // XEP-0163 §9
  for (std::string_view feature :
       {"access-open", "access-presence", "access-whitelist", "auto-create", "config-node",
        "config-node-max", "delete-items", "delete-nodes", "filtered-notifications", "item-ids",
        "last-published", "multi-items", "persistent-items", "presence-notifications", "publish",
        "publish-options", "retract-items", "retrieve-items"}) {
    server_iq.add_feature(ServerIq::FeatureOf::account,
                          fmt::format("{}#{}", kPubsubNamespace, feature));
  }
  server_iq.add_feature(ServerIq::FeatureOf::account, std::string(kPubsubNamespace));
}

std::string PepService::new_item_id() {
  return fmt::format("{:016x}", ids_());
}

void PepService::tell_listeners(const Jid& owner, std::string_view node) {
  for (auto* listener : listeners_) {
    listener->on_node_changed(owner, node);
  }
}

void PepService::publish(const Jid& owner, std::string_view node, const NodeConfig& config,
                         const xml::Element& item) {
  auto existing = nodes_.node(owner.local(), node);
  if (!existing) {
    nodes_.configure(owner.local(), node, config);
  }
  nodes_.publish(owner.local(), node, item);
  notifier_.broadcast(owner, node, existing ? existing->config.access : config.access,
                      items_event(node, item));
}

void PepService::retract(const Jid& owner, std::string_view node, std::string_view id) {
  auto existing = nodes_.node(owner.local(), node);
  if (existing && nodes_.retract(owner.local(), node, id)) {
    notifier_.broadcast(owner, node, existing->config.access, retract_event(node, id));
  }
}

bool PepService::on_request(im::Resource& sender, const std::optional<Jid>& to,
                            const xml::Element& iq) {
  const auto owner = service_owner(sender, to, iq);
  if (!owner || !roster_.has_account(owner->local())) {
    return false;
  }
  const xml::Element& payload = *iq.elements().begin();
  const bool get = iq.attribute("type") == "get";
  const bool own = sender.jid.bare() == *owner;
  auto answer = [&]() -> std::optional<xml::Element> {
    if (payload.is(kPubsubNamespace, "pubsub")) {
      if (const auto* items = payload.child(kPubsubNamespace, "items"); get && items) {
        return items_request(sender.jid.bare(), *owner, iq, *items);
      }
      if (get) {
        return pubsub_error(iq, feature_not_implemented, "unsupported");
      }
      if (!own) {
        return pubsub_error(iq, forbidden); // XEP-0163 §7.1: only the owner publishes
      }
      if (payload.child(kPubsubNamespace, "publish") != nullptr) {
        return publish_request(sender.jid.bare(), *owner, iq, payload);
      }
      if (const auto* retract = payload.child(kPubsubNamespace, "retract")) {
        return retract_request(*owner, iq, *retract);
      }
      return pubsub_error(iq, feature_not_implemented, "unsupported");
    }
    if (payload.is(kPubsubOwnerNamespace, "pubsub")) {
      return own ? owner_request(*owner, iq, payload) : pubsub_error(iq, forbidden);
    }
    if (get && payload.is(kDiscoItemsNamespace, "query") && iq.attribute("to")) {
      return disco_items(sender.jid.bare(), *owner, iq, payload);
    }
    if (get && payload.is(kDiscoInfoNamespace, "query") && to) {
      return server_iq_.answer(sender.jid, iq); // another account's, as for the own
    }
    return std::nullopt;
  }();
  if (answer) {
    sender.session->deliver(*answer);
  }
  return answer.has_value();
}

xml::Element PepService::publish_request(const Jid& sender, const Jid& owner,
                                         const xml::Element& iq, const xml::Element& pubsub) {
  const auto& request = *pubsub.child(kPubsubNamespace, "publish");
  const auto node = request.attribute("node").value_or("");
  if (node.empty() || node.size() > kMaxNameSize) {
    return pubsub_error(iq, bad_request, "nodeid-required"); // XEP-0060 §7.1.3.3
  }
  // §7.1.3.4–6: PEP items always carry exactly one payload.
  auto items = request.children(kPubsubNamespace, "item");
  if (std::ranges::distance(items) != 1) {
    return pubsub_error(iq, bad_request, "item-required");
  }
  const auto& item = *items.begin();
  if (std::ranges::distance(item.elements()) != 1) {
    return pubsub_error(iq, bad_request, "invalid-payload");
  }
  const auto existing = nodes_.node(owner.local(), node);
  NodeConfig config = existing ? existing->config : NodeConfig{};
  if (const auto* form = publish_options_form(pubsub)) {
    // §7.1.5: the options are preconditions for an existing node, the configuration of a
    // new one.
    auto wanted = apply_form(config, *form);
    if (!wanted || (existing && *wanted != existing->config)) {
      return pubsub_error(iq, conflict, "precondition-not-met");
    }
    config = *wanted;
  }
  if (!existing && nodes_.node_names(owner.local()).size() >= kMaxNodesPerUser) {
    return pubsub_error(iq, not_allowed, "max-nodes-exceeded");
  }
  std::string id(item.attribute("id").value_or(""));
  if (id.empty()) {
    id = new_item_id(); // §7.1.2: the service makes one up
  } else if (id.size() > kMaxNameSize) {
    return pubsub_error(iq, not_acceptable);
  }
  xml::Element stored(kPubsubNamespace, "item");
  stored.set_attribute("id", id);
  stored.append(*item.elements().begin());
  publish(owner, node, config, stored);
  tell_listeners(sender, node);

  auto result = im::make_result(iq);
  auto& out = result.append(xml::Element(kPubsubNamespace, "pubsub"))
                  .append(xml::Element(kPubsubNamespace, "publish"));
  out.set_attribute("node", node);
  out.append(xml::Element(kPubsubNamespace, "item")).set_attribute("id", id);
  return result;
}

xml::Element PepService::items_request(const Jid& sender, const Jid& owner, const xml::Element& iq,
                                       const xml::Element& items) {
  const auto node_name = items.attribute("node").value_or("");
  const auto node = nodes_.node(owner.local(), node_name);
  if (!node) {
    return pubsub_error(iq, item_not_found); // XEP-0060 §6.5.9.11
  }
  if (!may_access(roster_, owner, sender, node->config.access)) {
    return node->config.access == AccessModel::presence
               ? pubsub_error(iq, not_authorized, "presence-subscription-required") // §6.5.9.5
               : pubsub_error(iq, not_allowed, "closed-node");                      // §6.5.9.7
  }
  std::vector<std::string> ids;
  for (const auto& wanted : items.children(kPubsubNamespace, "item")) {
    ids.emplace_back(wanted.attribute("id").value_or("")); // §6.5.8
  }
  if (ids.empty()) {
    ids = node->item_ids;
    std::size_t max = ids.size();
    if (auto text = items.attribute("max_items")) { // §6.5.7: the most recent ones
      std::from_chars(text->data(), text->data() + text->size(), max);
    }
    ids.erase(ids.begin(), ids.end() - static_cast<std::ptrdiff_t>(std::min(max, ids.size())));
  }
  auto result = im::make_result(iq);
  auto& out = result.append(xml::Element(kPubsubNamespace, "pubsub"))
                  .append(xml::Element(kPubsubNamespace, "items"));
  out.set_attribute("node", node_name);
  for (const auto& id : ids) {
    if (const auto* item = nodes_.item(owner.local(), node_name, id)) {
      out.append(*item);
    }
  }
  return result;
}

xml::Element PepService::retract_request(const Jid& owner, const xml::Element& iq,
                                         const xml::Element& retract) {
  const auto node_name = retract.attribute("node").value_or("");
  const auto* item = retract.child(kPubsubNamespace, "item");
  if (item == nullptr || !item->attribute("id")) {
    return pubsub_error(iq, bad_request, "item-required"); // XEP-0060 §7.2.3.3
  }
  const auto node = nodes_.node(owner.local(), node_name);
  const std::string id(*item->attribute("id"));
  if (!node || !nodes_.retract(owner.local(), node_name, id)) {
    return pubsub_error(iq, item_not_found); // §7.2.3.5
  }
  if (notify_requested(retract)) {
    notifier_.broadcast(owner, node_name, node->config.access, retract_event(node_name, id));
  }
  tell_listeners(owner, node_name);
  return im::make_result(iq);
}

xml::Element PepService::owner_request(const Jid& owner, const xml::Element& iq,
                                       const xml::Element& pubsub) {
  const bool get = iq.attribute("type") == "get";
  if (const auto* configure = pubsub.child(kPubsubOwnerNamespace, "configure")) {
    const auto node_name = configure->attribute("node").value_or("");
    auto node = nodes_.node(owner.local(), node_name);
    if (!node) {
      return pubsub_error(iq, item_not_found);
    }
    if (get) { // XEP-0060 §8.2.1
      auto result = im::make_result(iq);
      auto& out = result.append(xml::Element(kPubsubOwnerNamespace, "pubsub"))
                      .append(xml::Element(kPubsubOwnerNamespace, "configure"));
      out.set_attribute("node", node_name);
      out.append(config_form(node->config));
      return result;
    }
    const auto* form = configure->child(im::kDataFormsNamespace, "x");
    auto config = form == nullptr ? std::unexpected(bad_request) : apply_form(node->config, *form);
    if (!config) {
      return pubsub_error(iq, config.error()); // §8.2.5.3
    }
    nodes_.configure(owner.local(), node_name, *config);
    return im::make_result(iq);
  }
  if (const auto* remove = pubsub.child(kPubsubOwnerNamespace, "delete"); remove && !get) {
    const auto node_name = remove->attribute("node").value_or("");
    auto node = nodes_.node(owner.local(), node_name);
    if (!node) {
      return pubsub_error(iq, item_not_found); // §8.4.3.3
    }
    notifier_.broadcast(owner, node_name, node->config.access, delete_event(node_name));
    nodes_.remove(owner.local(), node_name);
    tell_listeners(owner, node_name);
    return im::make_result(iq);
  }
  return pubsub_error(iq, feature_not_implemented, "unsupported");
}

xml::Element PepService::disco_items(const Jid& sender, const Jid& owner, const xml::Element& iq,
                                     const xml::Element& query) const {
  auto result = im::make_result(iq);
  auto& out = result.append(xml::Element(kDiscoItemsNamespace, "query"));
  const auto owner_text = owner.to_string();
  if (const auto node_name = query.attribute("node")) {
    // XEP-0060 §5.5: a node's items, by id.
    const auto node = nodes_.node(owner.local(), *node_name);
    if (!node || !may_access(roster_, owner, sender, node->config.access)) {
      return pubsub_error(iq, item_not_found);
    }
    out.set_attribute("node", *node_name);
    for (const auto& id : node->item_ids) {
      out.append(xml::Element(kDiscoItemsNamespace, "item"))
          .set_attribute("jid", owner_text)
          .set_attribute("name", id);
    }
    return result;
  }
  // XEP-0163 §7.4 (XEP-0060 §5.2): the nodes the requester may see.
  for (const auto& name : nodes_.node_names(owner.local())) {
    const auto node = nodes_.node(owner.local(), name);
    if (node && may_access(roster_, owner, sender, node->config.access)) {
      out.append(xml::Element(kDiscoItemsNamespace, "item"))
          .set_attribute("jid", owner_text)
          .set_attribute("node", name);
    }
  }
  return result;
}

void PepService::on_caps(im::Resource& resource, const im::Features& features) {
  const Jid user = resource.jid.bare();
  std::vector<Jid> owners{user};
  for (const auto& item : roster_.roster(user)) {
    if (im::user_sees_contact(item.subscription)) {
      owners.push_back(item.jid);
    }
  }
  for (const auto& owner : owners) {
    for (const auto& name : nodes_.node_names(owner.local())) {
      const auto node = nodes_.node(owner.local(), name);
      if (!node || node->item_ids.empty() || !node->config.send_last_item ||
          !wants_notifications(features, name) ||
          !may_access(roster_, owner, user, node->config.access)) {
        continue;
      }
      if (const auto* last = nodes_.item(owner.local(), name, node->item_ids.back())) {
        notifier_.send(owner, resource, items_event(name, *last));
      }
    }
  }
}

} // namespace starling::xmpp::pep
