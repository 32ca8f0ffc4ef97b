// Namespace names of publish-subscribe (XEP-0060) as the personal eventing service uses them
// (XEP-0163).
#pragma once

#include <string_view>

namespace starling::xmpp::pep {

inline constexpr std::string_view kPubsubNamespace = "http://jabber.org/protocol/pubsub";
inline constexpr std::string_view kPubsubOwnerNamespace = "http://jabber.org/protocol/pubsub#owner";
inline constexpr std::string_view kPubsubEventNamespace = "http://jabber.org/protocol/pubsub#event";
inline constexpr std::string_view kPubsubErrorsNamespace =
    "http://jabber.org/protocol/pubsub#errors";
inline constexpr std::string_view kPublishOptionsFormType =
    "http://jabber.org/protocol/pubsub#publish-options";
inline constexpr std::string_view kNodeConfigFormType =
    "http://jabber.org/protocol/pubsub#node_config";
// XEP-0163 §4.3.3: a client wants notifications of node N when its caps list "N+notify".
inline constexpr std::string_view kNotifySuffix = "+notify";

} // namespace starling::xmpp::pep
