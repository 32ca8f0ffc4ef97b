// Answers the iq requests addressed to the server.
#include "xmpp/im/server_iq.h"

#include <algorithm>
#include <ranges>

#include "xmpp/im/caps_hash.h"
#include "xmpp/im/mam_query.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/im/stanza_error.h"

namespace starling::xmpp::im {

namespace {

using enum StanzaErrorCondition;

// XEP-0115 §4: the software's node, a URI; clients only echo it.
constexpr std::string_view kCapsNode = "urn:starling:pbx";
constexpr std::string_view kCapsHash = "sha-1"; // §5: the one every client knows

const xml::Element* payload(const xml::Element& iq) {
  auto elements = iq.elements();
  auto first = elements.begin();
  return first == elements.end() ? nullptr : &*first;
}

} // namespace

xml::Element make_result(const xml::Element& iq) {
  xml::Element result(iq.ns(), "iq");
  if (auto to = iq.attribute("to")) {
    result.set_attribute("from", *to);
  }
  if (auto from = iq.attribute("from")) {
    result.set_attribute("to", *from);
  }
  if (auto id = iq.attribute("id")) {
    result.set_attribute("id", *id);
  }
  result.set_attribute("type", "result");
  return result;
}

void ServerIq::add_feature(FeatureOf owner, std::string var) {
  (owner == FeatureOf::server ? server_features_ : account_features_).push_back(std::move(var));
}

void ServerIq::add_identity(FeatureOf owner, std::string category, std::string type) {
  identities_.push_back({owner, std::move(category), std::move(type)});
}

xml::Element ServerIq::answer(const Jid& /*from*/, const xml::Element& iq) const {
  const xml::Element* query = payload(iq);
  if (query == nullptr) {
    return make_error_reply(iq, bad_request);
  }
  const bool get = iq.attribute("type") == "get";
  const bool to_account = iq.attribute("to").has_value() && iq.attribute("to") != domain_;
  if (get && query->is(kPingNamespace, "ping")) {
    return make_result(iq); // XEP-0199 §4.2
  }
  if (get && query->is(kDiscoInfoNamespace, "query")) {
    return answer_disco_info(iq, *query, to_account);
  }
  if (get && query->is(kMamNamespace, "query") && iq.attribute("to") != domain_) {
    return archive_form_result(iq); // XEP-0313 §4.1.1, for the user's own archive
  }
  if (get && query->is(kDiscoItemsNamespace, "query")) {
    // XEP-0030 §4.2: the components; no nodes.
    if (query->attribute("node")) {
      return make_error_reply(iq, item_not_found);
    }
    auto result = make_result(iq);
    auto& items = result.append(xml::Element(kDiscoItemsNamespace, "query"));
    for (const auto& item : items_) {
      items.append(xml::Element(kDiscoItemsNamespace, "item")).set_attribute("jid", item);
    }
    return result;
  }
  // RFC 6120 §8.4: a payload the server does not understand.
  return make_error_reply(iq, service_unavailable);
}

xml::Element ServerIq::answer_disco_info(const xml::Element& iq, const xml::Element& query,
                                         bool to_account) const {
  const auto node = query.attribute("node");
  if (node && (to_account || *node != caps_node())) {
    return make_error_reply(iq, item_not_found);
  }
  auto result = make_result(iq);
  auto& out = result.append(disco_info(to_account));
  if (node) {
    out.set_attribute("node", *node); // XEP-0115 §6.2: echoed
  }
  return result;
}

xml::Element ServerIq::caps() const {
  xml::Element c(kCapsNamespace, "c");
  c.set_attribute("hash", kCapsHash);
  c.set_attribute("node", kCapsNode);
  const auto ver = caps_ver(kCapsHash, caps_verification_string(disco_info(false)).value_or(""));
  c.set_attribute("ver", ver.value_or(""));
  return c;
}

std::string ServerIq::caps_node() const {
  const auto c = caps();
  std::string node(kCapsNode);
  node += '#';
  node += c.attribute("ver").value_or("");
  return node;
}

xml::Element ServerIq::disco_info(bool to_account) const {
  xml::Element out(kDiscoInfoNamespace, "query");
  // XEP-0030 §3.1 and the registry's categories: the server itself, or, for the user's
  // own bare JID (answered by the server on the account's behalf), a registered account.
  out.append(xml::Element(kDiscoInfoNamespace, "identity"))
      .set_attribute("category", to_account ? "account" : "server")
      .set_attribute("type", to_account ? "registered" : "im");
  for (const auto& identity : identities_) {
    if ((identity.owner == FeatureOf::account) == to_account) {
      out.append(xml::Element(kDiscoInfoNamespace, "identity"))
          .set_attribute("category", identity.category)
          .set_attribute("type", identity.type);
    }
  }
  out.append(xml::Element(kDiscoInfoNamespace, "feature"))
      .set_attribute("var", kDiscoInfoNamespace);
  if (to_account) {
    out.append(xml::Element(kDiscoInfoNamespace, "feature"))
        .set_attribute("var", kMamNamespace); // XEP-0313 §6: the account keeps an archive
  } else {
    out.append(xml::Element(kDiscoInfoNamespace, "feature"))
        .set_attribute("var", kDiscoItemsNamespace);
    out.append(xml::Element(kDiscoInfoNamespace, "feature")).set_attribute("var", kPingNamespace);
    out.append(xml::Element(kDiscoInfoNamespace, "feature"))
        .set_attribute("var", kCarbonsNamespace); // XEP-0280 §3
  }
  for (const auto& var : to_account ? account_features_ : server_features_) {
    out.append(xml::Element(kDiscoInfoNamespace, "feature")).set_attribute("var", var);
  }
  return out;
}

} // namespace starling::xmpp::im
