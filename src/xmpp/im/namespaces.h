// Namespace names of the IM features the server answers itself (RFC 6121, XEP-0030, XEP-0199).
#pragma once

#include <string_view>

namespace starling::xmpp::im {

inline constexpr std::string_view kRosterNamespace = "jabber:iq:roster"; // RFC 6121 §2
inline constexpr std::string_view kPingNamespace = "urn:xmpp:ping";      // XEP-0199
inline constexpr std::string_view kDiscoInfoNamespace =                  // XEP-0030
    "http://jabber.org/protocol/disco#info";
inline constexpr std::string_view kDiscoItemsNamespace = "http://jabber.org/protocol/disco#items";

} // namespace starling::xmpp::im
