// Which calls are a user's own: those naming them, one of their devices or their numbers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/caller.h"
#include "store/store.h"

namespace starling::api {

// The names a call of the caller's carries as caller, callee or device: their login name,
// device names and extension numbers. Nothing (every call) for an administrator.
store::Result<std::optional<std::vector<std::string>>> call_parties_of(store::Store& store,
                                                                       const Caller& caller);

} // namespace starling::api
