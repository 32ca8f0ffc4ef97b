// What the REST API's handlers work on: the store, the directory, and the live services.
#pragma once

#include <string_view>

#include "core/clock.h"
#include "core/config.h"
#include "core/metrics.h"
#include "directory/directory.h"
#include "store/store.h"

namespace starling::api {

// Calls in progress, as call control holds them; app/ implements this over pbx/, which the
// API may not know (DESIGN.md, "Layout").
class ActiveCalls {
public:
  ActiveCalls() = default;
  ActiveCalls(const ActiveCalls&) = delete;
  ActiveCalls& operator=(const ActiveCalls&) = delete;
  ActiveCalls(ActiveCalls&&) = delete;
  ActiveCalls& operator=(ActiveCalls&&) = delete;
  virtual ~ActiveCalls() = default;

  // Ends the call with this id (CallLeg::call_id) on both sides; false when no such call is
  // active. Safe to call from an HTTP thread.
  virtual bool hang_up(std::string_view call_id) = 0;
};

struct ApiServices {
  store::Store& store;
  directory::Directory& directory;
  const core::Config& config;
  const core::Clock& clock;
  core::MetricsRegistry& metrics;
  ActiveCalls& calls;
};

} // namespace starling::api
