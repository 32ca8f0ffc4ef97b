// How trunks read to people and to the store: the kind's name, and the state a trunk is in as
// far as the store knows (starling trunks and the REST API show the same).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "store/records.h"

namespace starling::store {

// "register" or "ip", as the store, the CLI and the API write the kind.
[[nodiscard]] std::string_view kind_name(TrunkKind kind);
[[nodiscard]] std::optional<TrunkKind> kind_from_name(std::string_view name);

struct TrunkState {
  std::string state; // "disabled", "ip", "unregistered", or a saved registration state
  // The saved row the state comes from: only an enabled registration trunk's counts, for a
  // disabled or IP trunk it is history. Null when none counts.
  const TrunkStatus* saved = nullptr;
};

// `states` as list_trunk_status gives them; the result may point into it.
[[nodiscard]] TrunkState trunk_state(const Trunk& trunk, std::span<const TrunkStatus> states);

} // namespace starling::store
