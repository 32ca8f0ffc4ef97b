// What a user, group or device name and an extension number may look like.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace starling::directory {

// Each returns why `text` is not acceptable, or nothing when it is.

// Login, group and device names end up in SIP URIs, XMPP JIDs and URLs, so they keep
// to characters that need no escaping in any of them.
[[nodiscard]] std::optional<std::string> check_name(std::string_view what, std::string_view text);

// Dialable digits only; 1 to 15 digits is the E.164 length limit.
[[nodiscard]] std::optional<std::string> check_extension_number(std::string_view text);

} // namespace starling::directory
