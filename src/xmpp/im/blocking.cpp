// The blocklist requests and the blocking rules of XEP-0191.
#include "xmpp/im/blocking.h"

#include <algorithm>
#include <expected>
#include <ranges>
#include <utility>
#include <vector>

#include "xmpp/im/server_iq.h"
#include "xmpp/im/stanza_error.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::im {

namespace {

using enum StanzaErrorCondition;

// The JIDs of a <block/> or <unblock/>, canonical; a JID that is not one refuses the whole
// command (§3.3), so a list is never half applied.
std::expected<std::vector<Jid>, StanzaErrorCondition> parse_items(const xml::Element& command) {
  std::vector<Jid> jids;
  for (const auto& item : command.children(kBlockingNamespace, "item")) {
    const auto text = item.attribute("jid");
    if (!text) {
      return std::unexpected(bad_request);
    }
    auto jid = Jid::parse(*text);
    if (!jid) {
      return std::unexpected(jid_malformed);
    }
    jids.push_back(std::move(*jid));
  }
  return jids;
}

xml::Element item_element(std::string_view jid) {
  xml::Element item(kBlockingNamespace, "item");
  item.set_attribute("jid", jid);
  return item;
}

// §3.6: the error that tells the user their own block stopped the stanza.
xml::Element blocked_error(const xml::Element& stanza) {
  auto reply = make_error_reply(stanza, not_acceptable);
  if (auto* error = reply.child(xml::kClientNamespace, "error")) {
    error->append(xml::Element(kBlockingErrorsNamespace, "blocked"));
  }
  return reply;
}

bool is_blocked_error(const xml::Element& stanza) {
  const auto* error = stanza.child(xml::kClientNamespace, "error");
  return is_error(stanza) && error != nullptr &&
         error->child(kBlockingErrorsNamespace, "blocked") != nullptr;
}

bool is_request(const xml::Element& stanza) {
  const auto type = stanza.attribute("type");
  return stanza.name() == "iq" && (type == "get" || type == "set");
}

} // namespace

bool Blocking::blocks(std::string_view user, const Jid& entity) const {
  if (user.empty()) {
    return false;
  }
  std::vector<std::string> keys{entity.to_string()};
  if (!entity.is_bare()) {
    keys.push_back(entity.bare().to_string());
    if (!entity.local().empty()) {
      keys.push_back(entity.domain() + "/" + entity.resource());
    }
  }
  if (!entity.local().empty() || !entity.is_bare()) {
    keys.push_back(entity.domain());
  }
  return std::ranges::any_of(
      keys, [&](const auto& key) { return data_.find(user, kBlocklistKind, key) != nullptr; });
}

bool Blocking::on_request(Resource& sender, const std::optional<Jid>& to, const xml::Element& iq) {
  if (to) {
    return false; // a blocklist is only the user's own
  }
  const bool get = iq.attribute("type") == "get";
  if (const auto* query = iq.child(kBlockingNamespace, "blocklist"); query != nullptr && get) {
    interested_.insert(sender.jid); // §3.2
    auto result = make_result(iq);
    result.append(blocklist(sender.jid.local()));
    sender.session->deliver(result);
    return true;
  }
  if (const auto* command = iq.child(kBlockingNamespace, "block"); command != nullptr && !get) {
    block(sender, iq, *command);
    return true;
  }
  if (const auto* command = iq.child(kBlockingNamespace, "unblock"); command != nullptr && !get) {
    unblock(sender, iq, *command);
    return true;
  }
  if (iq.child(kBlockingNamespace, "blocklist") != nullptr ||
      iq.child(kBlockingNamespace, "block") != nullptr ||
      iq.child(kBlockingNamespace, "unblock") != nullptr) {
    sender.session->deliver(make_error_reply(iq, bad_request)); // the wrong iq type
    return true;
  }
  return false;
}

xml::Element Blocking::blocklist(std::string_view user) const {
  xml::Element list(kBlockingNamespace, "blocklist");
  for (const auto& [key, entry] : data_.list(user, kBlocklistKind)) {
    list.append(item_element(key));
  }
  return list;
}

void Blocking::block(Resource& sender, const xml::Element& iq, const xml::Element& command) {
  auto jids = parse_items(command);
  if (!jids || jids->empty()) {
    // §3.3: a block names at least one JID.
    sender.session->deliver(make_error_reply(iq, jids ? bad_request : jids.error()));
    return;
  }
  const auto& user = sender.jid.local();
  if (data_.list(user, kBlocklistKind).size() + jids->size() > kMaxBlocklistItems) {
    sender.session->deliver(make_error_reply(iq, not_acceptable));
    return;
  }
  const Jid bare = sender.jid.bare();
  xml::Element pushed(kBlockingNamespace, "block");
  for (const auto& jid : *jids) {
    const auto key = jid.to_string();
    if (!blocks(user, jid)) {
      // §3.3: unavailable presence first, while the filter still lets it through.
      show_presence_both_ways(bare, jid, false);
    }
    data_.put(user, kBlocklistKind, key, item_element(key));
    pushed.append(item_element(key));
  }
  sender.session->deliver(make_result(iq));
  push(bare, pushed);
}

void Blocking::unblock(Resource& sender, const xml::Element& iq, const xml::Element& command) {
  auto jids = parse_items(command);
  if (!jids) {
    sender.session->deliver(make_error_reply(iq, jids.error()));
    return;
  }
  const auto& user = sender.jid.local();
  const Jid bare = sender.jid.bare();
  xml::Element pushed(kBlockingNamespace, "unblock");
  if (jids->empty()) {
    // §3.5: an empty <unblock/> unblocks everyone.
    for (const auto& [key, entry] : data_.list(user, kBlocklistKind)) {
      if (auto jid = Jid::parse(key)) {
        jids->push_back(std::move(*jid));
      }
    }
  } else {
    for (const auto& jid : *jids) {
      pushed.append(item_element(jid.to_string()));
    }
  }
  for (const auto& jid : *jids) {
    data_.remove(user, kBlocklistKind, jid.to_string());
    if (!blocks(user, jid)) {
      show_presence_both_ways(bare, jid, true); // §3.4: the current presence again
    }
  }
  sender.session->deliver(make_result(iq));
  push(bare, pushed);
}

void Blocking::push(const Jid& user, const xml::Element& command) {
  std::set<Jid> still_bound;
  for (auto* resource : sessions_.resources(user)) {
    if (!interested_.contains(resource->jid)) {
      continue;
    }
    still_bound.insert(resource->jid);
    xml::Element iq(xml::kClientNamespace, "iq");
    iq.set_attribute("to", resource->jid.to_string());
    iq.set_attribute("type", "set");
    iq.set_attribute("id", "block-push-" + std::to_string(++pushes_));
    iq.append(command);
    resource->session->deliver(iq);
  }
  std::erase_if(interested_,
                [&](const Jid& jid) { return jid.bare() == user && !still_bound.contains(jid); });
}

void Blocking::show_presence_both_ways(const Jid& user, const Jid& contact, bool available) {
  // Only local accounts have presence here, and every account is a colleague in the shared
  // roster, so each one sees the other's presence.
  if (contact.local().empty() || contact.domain() != domain_ || contact.bare() == user) {
    return;
  }
  show_presence(user, contact, available);
  show_presence(contact.bare(), user, available);
}

void Blocking::show_presence(const Jid& from_user, const Jid& to, bool available) {
  for (const auto* from : sessions_.available_resources(from_user)) {
    xml::Element presence(xml::kClientNamespace, "presence");
    if (available && from->presence.stanza) {
      presence = *from->presence.stanza;
    } else {
      presence.set_attribute("type", "unavailable");
    }
    presence.set_attribute("from", from->jid.to_string());
    for (auto* recipient : sessions_.available_resources(to.bare())) {
      if (to.is_bare() || recipient->jid == to) {
        presence.set_attribute("to", recipient->jid.to_string());
        recipient->session->deliver(presence);
      }
    }
  }
}

bool Blocking::stops(Resource& sender, const Jid& to, const xml::Element& stanza) {
  if (blocks(sender.jid.local(), to)) {
    // §3.6: the user's own stanza to an entity they block goes nowhere; messages and
    // requests learn why, presence is dropped.
    if (!is_error(stanza) && (stanza.name() == "message" || is_request(stanza))) {
      sender.session->deliver(blocked_error(stanza));
    }
    return true;
  }
  if (to.domain() == domain_ && blocks(to.local(), sender.jid)) {
    // §3.5: the user appears offline to the blocked entity: presence dropped, messages and
    // requests answered as an offline account's would be, results and errors dropped.
    if (!is_error(stanza) && (stanza.name() == "message" || is_request(stanza))) {
      sender.session->deliver(make_error_reply(stanza, service_unavailable));
    }
    return true;
  }
  return false;
}

bool Blocking::allows(const xml::Element& stanza, const Jid& recipient) const {
  const auto from_text = stanza.attribute("from");
  if (!from_text) {
    return true; // the server itself
  }
  const auto from = Jid::parse(*from_text);
  if (!from || from->bare() == recipient.bare() ||
      (from->local().empty() && from->is_bare() && from->domain() == domain_)) {
    return true; // the server itself and the user's own account always get through
  }
  if (blocks(recipient.local(), *from)) {
    return is_blocked_error(stanza); // §3.5, but the error of §3.6 the block itself caused
  }
  // §3.3: the user's presence no longer reaches the entities they block.
  return stanza.name() != "presence" || from->domain() != domain_ ||
         !blocks(from->local(), recipient);
}

} // namespace starling::xmpp::im
