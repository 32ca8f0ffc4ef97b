// Questions call control asks of a message's headers and body, answered the same way
// everywhere.
#pragma once

#include <string_view>

#include "sip/message.h"

namespace starling::sip {

// Whether a list header (Require, Supported, Proxy-Require …) names `tag` (RFC 3261 §20).
bool has_option_tag(const Message& message, HeaderId id, std::string_view tag);

// Whether the body is a session description (RFC 3261 §20.15: without Content-Type a body
// is taken as SDP, as phones that omit it mean).
bool carries_sdp(const Message& message);

} // namespace starling::sip
