// Namespace names of push notifications (XEP-0357).
#pragma once

#include <string_view>

namespace starling::xmpp::push {

inline constexpr std::string_view kPushNamespace = "urn:xmpp:push:0";
inline constexpr std::string_view kSummaryFormType = "urn:xmpp:push:summary"; // §7

} // namespace starling::xmpp::push
