// What the REST API's handlers work on: the store, the directory, and the live services.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/config.h"
#include "core/metrics.h"
#include "directory/directory.h"
#include "store/records.h"
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

// Why a trunk or an outbound route may not be saved: the member at fault ("numbers",
// "pattern"; empty when no single one is) and what is wrong with it.
struct RuleProblem {
  std::string field;
  std::string message;
};

// The dial plan's rules for trunks and outbound routes. They need the numbering plan and the
// route pattern syntax, which live in pbx/; app/ implements this over them, so the API refuses
// exactly what the CLI and the running dial plan would.
class RoutingRules {
public:
  RoutingRules() = default;
  RoutingRules(const RoutingRules&) = delete;
  RoutingRules& operator=(const RoutingRules&) = delete;
  RoutingRules(RoutingRules&&) = delete;
  RoutingRules& operator=(RoutingRules&&) = delete;
  virtual ~RoutingRules() = default;

  // Nothing when the trunk may be stored as it is. Safe to call from an HTTP thread.
  [[nodiscard]] virtual std::optional<RuleProblem> check_trunk(const store::Trunk& trunk) const = 0;
  // Whether its trunks exist is not checked here: the caller knows the store.
  [[nodiscard]] virtual std::optional<RuleProblem>
  check_outbound_route(const store::OutboundRoute& route) const = 0;
};

struct ApiServices {
  store::Store& store;
  directory::Directory& directory;
  const core::Config& config;
  const core::Clock& clock;
  core::MetricsRegistry& metrics;
  ActiveCalls& calls;
  const RoutingRules& routing;
};

} // namespace starling::api
