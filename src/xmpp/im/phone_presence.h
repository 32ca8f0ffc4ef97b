// Telephony presence: how a user on the phone appears to colleagues. Every client sees the
// user's own resources as busy ("dnd", "On the phone"); richer clients also see a resource of
// the server's with the call's state as XEP-0108 user activity and a Starling element.
#pragma once

#include <string_view>

#include "xmpp/im/session.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

inline constexpr std::string_view kActivityNamespace =
    "http://jabber.org/protocol/activity";                              // XEP-0108
inline constexpr std::string_view kCallNamespace = "urn:starling:call"; // <call state='…'/>
inline constexpr std::string_view kOnThePhoneStatus = "On the phone";
// The server's resource for a user in a call. Its priority is negative, so it never takes
// the user's messages (RFC 6121 §8.5.2.1.1) and clients rank it below the user's own.
inline constexpr std::string_view kPhoneResource = "starling-phone";
inline constexpr int kPhoneResourcePriority = -1;

// `presence` (a client's available presence) as shown while its user is in a call in
// `call_state` ("connected", "held"): show dnd, status "On the phone", the call element; the
// rest (priority, capabilities, avatar hash) as the client sent it.
[[nodiscard]] xml::Element on_the_phone(const xml::Element& presence, std::string_view call_state);

// XEP-0108 §2: the user activity of a user in a call, general "talking", specific
// "on_the_phone", as shown in the phone resource's presence and published over PEP.
[[nodiscard]] xml::Element talking_on_the_phone();

// The available presence of the server's phone resource for a call in `call_state`.
[[nodiscard]] xml::Element phone_resource_presence(std::string_view call_state);

// The phone resource's session: what is sent to it goes nowhere, as for a client that
// ignores everything.
class PhoneSession final : public Session {
public:
  void deliver(const xml::Element& /*stanza*/) override {}
};

} // namespace starling::xmpp::im
