// XEP-0082 DateTime: the UTC timestamps of <delay/> (XEP-0203) and of archive queries
// (XEP-0313).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace starling::xmpp {

// "2026-12-02T02:37:06Z": whole seconds, in UTC.
[[nodiscard]] std::string to_date_time(std::chrono::system_clock::time_point time);

// CCYY-MM-DDThh:mm:ss[.sss](Z|(+|-)hh:mm), as XEP-0082 §3.3 writes it; nullopt for
// anything else.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point>
parse_date_time(std::string_view text);

} // namespace starling::xmpp
