// Namespace names of RFC 6120 that the XML layer and the stream code qualify elements with.
#pragma once

#include <string_view>

namespace starling::xmpp::xml {

// RFC 6120 §4.8.1: the stream header and stream-level elements (features, error).
inline constexpr std::string_view kStreamNamespace = "http://etherx.jabber.org/streams";
// RFC 6120 §4.8.2: the content namespaces of client-to-server and server-to-server streams.
inline constexpr std::string_view kClientNamespace = "jabber:client";
inline constexpr std::string_view kServerNamespace = "jabber:server";
// Namespaces in XML §3: bound to the prefix "xml" everywhere (xml:lang), never declared.
inline constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";
// RFC 6120 §4.9.2 and §8.3.2: the conditions of stream errors and stanza errors.
inline constexpr std::string_view kStreamErrorNamespace = "urn:ietf:params:xml:ns:xmpp-streams";
inline constexpr std::string_view kStanzaErrorNamespace = "urn:ietf:params:xml:ns:xmpp-stanzas";
// RFC 6120 §5, §6, §7: STARTTLS, SASL and resource binding.
inline constexpr std::string_view kTlsNamespace = "urn:ietf:params:xml:ns:xmpp-tls";
inline constexpr std::string_view kSaslNamespace = "urn:ietf:params:xml:ns:xmpp-sasl";
inline constexpr std::string_view kBindNamespace = "urn:ietf:params:xml:ns:xmpp-bind";

} // namespace starling::xmpp::xml
