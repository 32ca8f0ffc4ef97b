// jabber:iq:private get and set (XEP-0049 §2).
#include "xmpp/im/private_storage.h"

#include <algorithm>
#include <ranges>
#include <vector>

#include "xmpp/im/stanza_error.h"

namespace starling::xmpp::im {

namespace {

using enum StanzaErrorCondition;

// XEP-0049 §2.3: namespaces reserved in Jabber, which servers may refuse to store.
bool is_reserved(std::string_view ns) {
  return ns.starts_with("jabber:") || ns.starts_with("http://jabber.org/") || ns == "vcard-temp";
}

std::string key_of(const xml::Element& element) {
  return private_key(element.ns(), element.name());
}

} // namespace

std::string private_key(std::string_view ns, std::string_view name) {
  return "{" + std::string(ns) + "}" + std::string(name);
}

void PrivateStorage::announce(ServerIq& server_iq) {
  server_iq.add_feature(ServerIq::FeatureOf::account, std::string(kPrivateNamespace));
}

void PrivateStorage::add_view(std::string_view ns, std::string_view name,
                              PrivateElementView& view) {
  views_.insert_or_assign({std::string(ns), std::string(name)}, &view);
}

PrivateElementView* PrivateStorage::view_of(const xml::Element& element) const {
  const auto found = views_.find(std::pair(element.ns(), element.name()));
  return found == views_.end() ? nullptr : found->second;
}

xml::Element PrivateStorage::element(const Jid& owner, const xml::Element& wanted) const {
  const auto* kept = data_.find(owner.local(), kPrivateKind, key_of(wanted));
  if (const auto* view = view_of(wanted)) {
    return view->on_get(owner, kept);
  }
  // §2.3: nothing stored gives back the empty element asked for.
  return kept == nullptr ? xml::Element(wanted.ns(), wanted.name()) : *kept;
}

bool PrivateStorage::on_request(Resource& sender, const std::optional<Jid>& to,
                                const xml::Element& iq) {
  const auto& query = *iq.elements().begin();
  if (!query.is(kPrivateNamespace, "query")) {
    return false;
  }
  if (!to && own_address(iq) == OwnAddress::server) {
    return false; // the server itself keeps no private data
  }
  const Jid owner = sender.jid.bare();
  if ((to && *to != owner) || !accounts_.has_account(owner.local())) {
    // XEP-0049 §2.3: only one's own data, "forbidden" being the preferable answer.
    sender.session->deliver(make_error_reply(iq, forbidden));
    return true;
  }
  sender.session->deliver(iq.attribute("type") == "get" ? get_request(owner, iq, query)
                                                        : set_request(owner, iq, query));
  return true;
}

xml::Element PrivateStorage::get_request(const Jid& owner, const xml::Element& iq,
                                         const xml::Element& query) const {
  auto children = query.elements();
  const auto count = std::ranges::distance(children);
  if (count == 0 || is_reserved((*children.begin()).ns())) {
    return make_error_reply(iq, not_acceptable); // §2.3
  }
  if (count > 1) {
    return make_error_reply(iq, bad_request); // §2.3: one namespace per get
  }
  auto result = make_result(iq);
  result.append(xml::Element(kPrivateNamespace, "query")).append(element(owner, *children.begin()));
  return result;
}

xml::Element PrivateStorage::set_request(const Jid& owner, const xml::Element& iq,
                                         const xml::Element& query) {
  auto children = query.elements();
  if (children.empty() || std::ranges::any_of(children, [](const xml::Element& child) {
        return is_reserved(child.ns());
      })) {
    return make_error_reply(iq, not_acceptable); // §2.3
  }
  std::vector<std::string> new_keys;
  for (const auto& child : children) {
    auto key = key_of(child);
    if (data_.find(owner.local(), kPrivateKind, key) == nullptr &&
        std::ranges::find(new_keys, key) == new_keys.end()) {
      new_keys.push_back(std::move(key));
    }
  }
  if (data_.list(owner.local(), kPrivateKind).size() + new_keys.size() > kMaxElementsPerUser) {
    return make_error_reply(iq, not_allowed);
  }
  for (const auto& child : children) {
    auto* view = view_of(child);
    data_.put(owner.local(), kPrivateKind, key_of(child),
              view == nullptr ? child : view->on_set(owner, child));
  }
  return make_result(iq);
}

} // namespace starling::xmpp::im
