// Stream error conditions (RFC 6120 §4.9.3) and the <stream:error/> element that carries one.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "xmpp/xml/element.h"

namespace starling::xmpp::xml {

// The defined conditions of RFC 6120 §4.9.3, in the order of its subsections.
enum class StreamErrorCondition : std::uint8_t {
  bad_format,               // §4.9.3.1  XML that cannot be processed
  bad_namespace_prefix,     // §4.9.3.2  unsupported or missing namespace prefix
  conflict,                 // §4.9.3.3  a new stream replaces this one
  connection_timeout,       // §4.9.3.4  nothing received for too long
  host_gone,                // §4.9.3.5  'to' names a host this server no longer serves
  host_unknown,             // §4.9.3.6  'to' names a host this server does not serve
  improper_addressing,      // §4.9.3.7  stanza between servers without to or from
  internal_server_error,    // §4.9.3.8  misconfiguration or other internal error
  invalid_from,             // §4.9.3.9  'from' does not match the authenticated identity
  invalid_namespace,        // §4.9.3.10 wrong stream or content namespace
  invalid_xml,              // §4.9.3.11 invalid XML to a validating server
  not_authorized,           // §4.9.3.12 stanzas before authentication
  not_well_formed,          // §4.9.3.13 XML that is not well-formed
  policy_violation,         // §4.9.3.14 a local policy, e.g. the stanza size limit
  remote_connection_failed, // §4.9.3.15 a remote server needed for authentication failed
  reset,                    // §4.9.3.16 security or credentials changed; reconnect
  resource_constraint,      // §4.9.3.17 the server lacks resources for this stream
  restricted_xml,           // §4.9.3.18 comments, PIs, DTDs, entity references (§11.1)
  see_other_host,           // §4.9.3.19 redirect; the element carries the host
  system_shutdown,          // §4.9.3.20 the server is shutting down
  undefined_condition,      // §4.9.3.21 none of the others; an application element says why
  unsupported_encoding,     // §4.9.3.22 an encoding other than UTF-8
  unsupported_feature,      // §4.9.3.23 a mandatory-to-negotiate feature is not supported
  unsupported_stanza_type,  // §4.9.3.24 a first-level child the server does not know
  unsupported_version,      // §4.9.3.25 a 'version' the server does not support
};

// The condition's element name, e.g. "not-well-formed".
std::string_view condition_name(StreamErrorCondition condition);
// The condition with this element name, if it is one of RFC 6120's.
std::optional<StreamErrorCondition> stream_error_condition_from_name(std::string_view name);

// <stream:error><COND xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>
// <text xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>…</text></stream:error>
// (RFC 6120 §4.9.2), without <text/> when `text` is empty. For see-other-host the caller
// appends the host to the condition element (§4.9.3.19).
Element build_stream_error(StreamErrorCondition condition, std::string_view text = {});

} // namespace starling::xmpp::xml
