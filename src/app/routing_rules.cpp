// The REST API's check of trunks and outbound routes, over pbx/trunk_check.h.
#include "app/routing_rules.h"

#include <utility>

#include "app/call_settings.h"
#include "pbx/trunk_check.h"

namespace starling::app {
namespace {

std::optional<api::RuleProblem> rule_problem(std::optional<pbx::SettingProblem> problem) {
  if (!problem) {
    return std::nullopt;
  }
  return api::RuleProblem{std::move(problem->field), std::move(problem->message)};
}

} // namespace

PbxRoutingRules::PbxRoutingRules(const core::Config& config)
    : settings_(routing_settings(config)) {}

std::optional<api::RuleProblem> PbxRoutingRules::check_trunk(const store::Trunk& trunk) const {
  return rule_problem(pbx::check_trunk(trunk, settings_));
}

std::optional<api::RuleProblem>
PbxRoutingRules::check_outbound_route(const store::OutboundRoute& route) const {
  return rule_problem(pbx::check_outbound_route(route, settings_));
}

} // namespace starling::app
