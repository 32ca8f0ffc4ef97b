// Learns and caches what clients support (XEP-0115 §6.2, §5.4).
#include "xmpp/im/entity_caps.h"

#include <algorithm>
#include <utility>

#include "xmpp/im/caps_hash.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::im {

const Features* EntityCaps::features(const Jid& full) const {
  auto announced = announced_.find(full);
  if (announced == announced_.end()) {
    return nullptr;
  }
  auto known = known_.find(announced->second);
  return known == known_.end() ? nullptr : &known->second;
}

void EntityCaps::on_available(Resource& resource, const xml::Element& presence) {
  const auto* c = presence.child(kCapsNamespace, "c");
  const auto hash = c == nullptr ? std::nullopt : c->attribute("hash");
  const auto ver = c == nullptr ? std::nullopt : c->attribute("ver");
  const auto node = c == nullptr ? std::nullopt : c->attribute("node");
  if (!hash || !ver || !node) {
    // No caps, or the legacy format of XEP-0115 v1.3 without 'hash' that cannot be checked.
    announced_.erase(resource.jid);
    return;
  }
  auto [entry, added] = announced_.try_emplace(resource.jid, *ver);
  if (!added && entry->second == *ver) {
    return; // a presence update with the same capabilities
  }
  entry->second = *ver;
  if (auto known = known_.find(*ver); known != known_.end()) {
    tell_listeners({resource.jid}, known->second);
    return;
  }
  // §6.2: one query per 'ver', whoever else announces it meanwhile.
  for (auto& [id, query] : pending_) {
    if (query.ver == *ver) {
      query.waiting.push_back(resource.jid);
      return;
    }
  }
  if (pending_.size() < kMaxPendingQueries) {
    ask(resource.jid, *node, std::string(*hash), std::string(*ver));
  }
}

void EntityCaps::ask(const Jid& full, std::string_view node, std::string hash, std::string ver) {
  auto* resource = sessions_.find(full);
  if (resource == nullptr) {
    return;
  }
  auto id = "caps-" + std::to_string(next_query_++);
  xml::Element iq(xml::kClientNamespace, "iq");
  iq.set_attribute("from", domain_)
      .set_attribute("to", full.to_string())
      .set_attribute("type", "get")
      .set_attribute("id", id);
  // §6.2: the query names the node#ver whose answer must hash to 'ver'.
  iq.append(xml::Element(kDiscoInfoNamespace, "query"))
      .set_attribute("node", std::string(node) + '#' + ver);
  pending_.emplace(
      std::move(id),
      Query{.asked = full, .hash = std::move(hash), .ver = std::move(ver), .waiting = {full}});
  resource->session->deliver(iq);
}

void EntityCaps::on_unavailable(const Jid& full) {
  announced_.erase(full);
  // A query to a resource that is gone will not be answered; the next one announcing the
  // same 'ver' asks again.
  std::erase_if(pending_, [&](const auto& entry) { return entry.second.asked == full; });
}

bool EntityCaps::on_response(Resource& sender, const xml::Element& iq) {
  auto pending = pending_.find(iq.attribute("id").value_or(""));
  if (pending == pending_.end() || pending->second.asked != sender.jid) {
    return false;
  }
  Query query = std::move(pending->second);
  pending_.erase(pending);
  const auto* answer = iq.child(kDiscoInfoNamespace, "query");
  if (iq.attribute("type") != "result" || answer == nullptr) {
    return true;
  }
  // §5.4: only an answer that hashes to the announced 'ver' may stand for every client
  // announcing it; anything else is not cached (and not trusted).
  const auto s = caps_verification_string(*answer);
  if (!s || caps_ver(query.hash, *s) != query.ver || known_.size() >= kMaxKnownVers) {
    return true;
  }
  Features features;
  for (const auto& feature : answer->children(kDiscoInfoNamespace, "feature")) {
    features.emplace(feature.attribute("var").value_or(""));
  }
  const auto& cached = known_.emplace(query.ver, std::move(features)).first->second;
  // Only those still announcing this 'ver'.
  std::erase_if(query.waiting, [&](const Jid& full) {
    auto announced = announced_.find(full);
    return announced == announced_.end() || announced->second != query.ver;
  });
  tell_listeners(query.waiting, cached);
  return true;
}

void EntityCaps::tell_listeners(const std::vector<Jid>& resources, const Features& features) {
  for (const auto& full : resources) {
    if (auto* resource = sessions_.find(full)) {
      for (auto* listener : listeners_) {
        listener->on_caps(*resource, features);
      }
    }
  }
}

} // namespace starling::xmpp::im
