// Names of trunk kinds and the state a trunk is in.
#include "store/trunk_state.h"

#include <algorithm>

namespace starling::store {

std::string_view kind_name(TrunkKind kind) {
  return kind == TrunkKind::ip ? "ip" : "register";
}

std::optional<TrunkKind> kind_from_name(std::string_view name) {
  if (name == "ip") {
    return TrunkKind::ip;
  }
  return name == "register" ? std::optional(TrunkKind::registration) : std::nullopt;
}

TrunkState trunk_state(const Trunk& trunk, std::span<const TrunkStatus> states) {
  if (!trunk.enabled) {
    return {"disabled", nullptr};
  }
  if (trunk.kind == TrunkKind::ip) {
    return {"ip", nullptr};
  }
  const auto saved = std::ranges::find(states, trunk.name, &TrunkStatus::trunk);
  return saved == states.end() ? TrunkState{"unregistered", nullptr}
                               : TrunkState{saved->state, &*saved};
}

} // namespace starling::store
