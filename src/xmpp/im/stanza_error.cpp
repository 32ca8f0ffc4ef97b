// Builds stanza errors.
#include "xmpp/im/stanza_error.h"

#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::im {

namespace {

std::string_view error_type(StanzaErrorCondition condition) {
  switch (condition) {
  case StanzaErrorCondition::bad_request:
  case StanzaErrorCondition::jid_malformed:
  case StanzaErrorCondition::not_acceptable:
    return "modify";
  case StanzaErrorCondition::forbidden:
  case StanzaErrorCondition::not_authorized:
  case StanzaErrorCondition::registration_required:
    return "auth";
  case StanzaErrorCondition::conflict:
  case StanzaErrorCondition::feature_not_implemented:
  case StanzaErrorCondition::item_not_found:
  case StanzaErrorCondition::not_allowed:
  case StanzaErrorCondition::remote_server_not_found:
  case StanzaErrorCondition::service_unavailable:
    return "cancel";
  case StanzaErrorCondition::resource_constraint:
    return "wait";
  }
  return "cancel";
}

} // namespace

std::string_view to_string(StanzaErrorCondition condition) {
  switch (condition) {
  case StanzaErrorCondition::bad_request:
    return "bad-request";
  case StanzaErrorCondition::conflict:
    return "conflict";
  case StanzaErrorCondition::feature_not_implemented:
    return "feature-not-implemented";
  case StanzaErrorCondition::forbidden:
    return "forbidden";
  case StanzaErrorCondition::item_not_found:
    return "item-not-found";
  case StanzaErrorCondition::jid_malformed:
    return "jid-malformed";
  case StanzaErrorCondition::not_allowed:
    return "not-allowed";
  case StanzaErrorCondition::not_authorized:
    return "not-authorized";
  case StanzaErrorCondition::not_acceptable:
    return "not-acceptable";
  case StanzaErrorCondition::registration_required:
    return "registration-required";
  case StanzaErrorCondition::remote_server_not_found:
    return "remote-server-not-found";
  case StanzaErrorCondition::resource_constraint:
    return "resource-constraint";
  case StanzaErrorCondition::service_unavailable:
    return "service-unavailable";
  }
  return "undefined-condition";
}

bool is_error(const xml::Element& stanza) {
  return stanza.attribute("type") == "error";
}

xml::Element make_error_reply(const xml::Element& stanza, StanzaErrorCondition condition,
                              std::optional<std::string_view> error_from) {
  xml::Element reply(stanza.ns(), stanza.name());
  const auto from = stanza.attribute("from");
  const auto to = error_from ? error_from : stanza.attribute("to");
  if (to) {
    reply.set_attribute("from", *to);
  }
  if (from) {
    reply.set_attribute("to", *from);
  }
  if (auto id = stanza.attribute("id")) {
    reply.set_attribute("id", *id);
  }
  reply.set_attribute("type", "error");
  for (const auto& child : stanza.elements()) {
    if (!child.is(stanza.ns(), "error")) {
      reply.append(child);
    }
  }
  reply.append(xml::Element(stanza.ns(), "error"))
      .set_attribute("type", error_type(condition))
      .append(xml::Element(xml::kStanzaErrorNamespace, to_string(condition)));
  return reply;
}

} // namespace starling::xmpp::im
