// The REST API's check of trunks and outbound routes, by the same rules as the CLI and the
// dial plan (pbx/trunk_check.h), which the API may not include itself (DESIGN.md, "Layout").
#pragma once

#include "api/services.h"
#include "core/config.h"
#include "pbx/trunk_routing.h"

namespace starling::app {

class PbxRoutingRules final : public api::RoutingRules {
public:
  // The numbering plan comes from the configuration, which does not change while serving.
  explicit PbxRoutingRules(const core::Config& config);

  [[nodiscard]] std::optional<api::RuleProblem>
  check_trunk(const store::Trunk& trunk) const override;
  [[nodiscard]] std::optional<api::RuleProblem>
  check_outbound_route(const store::OutboundRoute& route) const override;

private:
  pbx::RoutingSettings settings_;
};

} // namespace starling::app
