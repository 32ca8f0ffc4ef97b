// UTC calendar fields without the process's time zone.
#include "core/utc_time.h"

namespace starling::core {

std::tm utc_fields(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm fields{};
  gmtime_r(&seconds, &fields);
  return fields;
}

} // namespace starling::core
