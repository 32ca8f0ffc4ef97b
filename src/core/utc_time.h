// A moment as UTC calendar fields, for fmt's %-specifiers. fmt 9 (Debian 12) formats a
// system_clock time point in the local time zone, so stamps that say "Z" or "GMT" format
// the std::tm from here instead.
#pragma once

#include <chrono>
#include <ctime>

namespace starling::core {

[[nodiscard]] std::tm utc_fields(std::chrono::system_clock::time_point time);

} // namespace starling::core
