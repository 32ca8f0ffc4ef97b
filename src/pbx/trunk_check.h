// Whether a trunk or an outbound route may be saved, with the field and the reason when not;
// the CLI and the REST API check before they store, so the running dial plan never meets a
// setting it cannot use.
#pragma once

#include <expected>
#include <optional>
#include <string>

#include "pbx/trunk_routing.h"
#include "store/records.h"

namespace starling::pbx {

struct SettingProblem {
  std::string field; // "domain", "numbers", … as the API names it
  std::string message;
};

[[nodiscard]] std::optional<SettingProblem> check_trunk(const store::Trunk& trunk,
                                                        const RoutingSettings& settings);
[[nodiscard]] std::optional<SettingProblem> check_outbound_route(const store::OutboundRoute& route,
                                                                 const RoutingSettings& settings);

// The rule a stored route compiles to, checked on its own: the checks are per rule, so one
// that compiles alone compiles among the others.
[[nodiscard]] std::expected<OutboundRule, SettingProblem>
compile_route(const store::OutboundRoute& route, const NumberingPlan& plan);

} // namespace starling::pbx
