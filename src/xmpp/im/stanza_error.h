// Stanza errors (RFC 6120 §8.3): the error reply to a message, presence or iq.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// The conditions the IM core uses (RFC 6120 §8.3.3), each with the error type §8.3.2 pairs
// it with.
enum class StanzaErrorCondition : std::uint8_t {
  bad_request,             // modify
  conflict,                // cancel
  feature_not_implemented, // cancel
  forbidden,               // auth
  item_not_found,          // cancel
  jid_malformed,           // modify
  not_acceptable,          // modify
  not_allowed,             // cancel
  not_authorized,          // auth
  registration_required,   // auth
  remote_server_not_found, // cancel
  resource_constraint,     // wait
  service_unavailable,     // cancel
};

std::string_view to_string(StanzaErrorCondition condition);

// RFC 6120 §8.3.1: an error stanza is never answered with another error.
bool is_error(const xml::Element& stanza);

// The error reply to `stanza`: same element name, id and children (§8.3.1 allows echoing
// the original payload), type='error', 'to' = the original 'from' and 'from' = the original
// 'to' — or `error_from` when given, for a 'to' that was not a valid JID — then
// <error type='…'><condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>.
xml::Element make_error_reply(const xml::Element& stanza, StanzaErrorCondition condition,
                              std::optional<std::string_view> error_from = std::nullopt);

} // namespace starling::xmpp::im
