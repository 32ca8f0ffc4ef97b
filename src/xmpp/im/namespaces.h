// Namespace names of the IM features the server implements itself (RFC 6121, XEP-0030,
// XEP-0199, XEP-0280, XEP-0313 and the XEPs it builds on).
#pragma once

#include <string_view>

namespace starling::xmpp::im {

inline constexpr std::string_view kRosterNamespace = "jabber:iq:roster"; // RFC 6121 §2
inline constexpr std::string_view kPingNamespace = "urn:xmpp:ping";      // XEP-0199
inline constexpr std::string_view kDiscoInfoNamespace =                  // XEP-0030
    "http://jabber.org/protocol/disco#info";
inline constexpr std::string_view kDiscoItemsNamespace = "http://jabber.org/protocol/disco#items";
inline constexpr std::string_view kCarbonsNamespace = "urn:xmpp:carbons:2"; // XEP-0280
inline constexpr std::string_view kForwardNamespace = "urn:xmpp:forward:0"; // XEP-0297
inline constexpr std::string_view kHintsNamespace = "urn:xmpp:hints";       // XEP-0334
inline constexpr std::string_view kDelayNamespace = "urn:xmpp:delay";       // XEP-0203
inline constexpr std::string_view kMamNamespace = "urn:xmpp:mam:2";         // XEP-0313
inline constexpr std::string_view kStanzaIdNamespace = "urn:xmpp:sid:0";    // XEP-0359
inline constexpr std::string_view kDataFormsNamespace = "jabber:x:data";    // XEP-0004
inline constexpr std::string_view kRsmNamespace =                           // XEP-0059
    "http://jabber.org/protocol/rsm";

} // namespace starling::xmpp::im
