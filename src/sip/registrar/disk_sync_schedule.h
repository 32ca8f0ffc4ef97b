// Which batches of binding saves wait for the disk. Registrations are soft state that phones
// refresh (RFC 3261 §10.2.1), so a save needs to survive a crash of the process, and only
// now and then to reach the disk: a batch syncs when the last sync is an interval old, and
// that sync writes the batches before it too. A power loss then loses the registration
// changes of the last interval at most; those phones' next refresh restores them.
#pragma once

#include <chrono>
#include <optional>

#include "store/store.h"

namespace starling::sip {

class DiskSyncSchedule {
public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit DiskSyncSchedule(std::chrono::steady_clock::duration interval) : interval_(interval) {}

  [[nodiscard]] store::Durability durability_at(TimePoint now) const {
    const bool synced_recently = last_sync_ && now - *last_sync_ < interval_;
    return synced_recently ? store::Durability::process_crash : store::Durability::power_loss;
  }
  // A save that asked for power_loss durability succeeded at `now`.
  void synced(TimePoint now) { last_sync_ = now; }

private:
  std::chrono::steady_clock::duration interval_;
  std::optional<TimePoint> last_sync_;
};

} // namespace starling::sip
