// Outbound routes: which trunks a call to a public number goes out on, in what form, and
// who may make it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pbx/call_class.h"
#include "pbx/dial_pattern.h"
#include "pbx/numbering_plan.h"
#include "pbx/routing_config_error.h"

namespace starling::pbx {

struct OutboundRule {
  std::string name;
  DialPattern pattern;
  // Leading characters to remove, such as an outside-line digit. The call is classed (and
  // normalised to E.164) after the strip: that is the number the user meant.
  std::size_t strip = 0;
  // Characters the provider needs in front, such as a carrier prefix. Added after
  // classification, so a prefix cannot turn an international call into a national one.
  std::string prepend{};
  // Send the stripped number in E.164 ("+4930…") instead of as dialled. Excludes prepend.
  bool send_e164 = false;
  std::vector<std::string> trunks; // tried in this order, for failover
  // Users below this class pass over the rule to the next one (a premium route for some);
  // emergency calls ignore it.
  std::optional<PermissionClass> minimum_class{};
};

struct OutboundDecision {
  std::string rule;   // the rule's name, or kEmergencyFallbackRule
  std::string number; // what to send to the trunk
  CallClass call_class = CallClass::internal;
  std::vector<std::string> trunks;
};

// What to answer the caller's INVITE with: 403, 404, 484 and a reason for the phrase and
// the log. The reason never repeats the dialled number.
struct OutboundRefusal {
  std::uint16_t sip_status = 404;
  std::string reason;
};

// The rule name of a decision that no rule made: an emergency call sent to the emergency
// trunks.
inline constexpr std::string_view kEmergencyFallbackRule = "emergency trunks";

// An ordered list of rules; the first whose pattern matches (and whose minimum class the
// user has) decides. Emergency numbers go by the first rule that matches them, else to the
// emergency trunks, and are never refused for the user's class.
class OutboundRoutes {
public:
  static std::expected<OutboundRoutes, RoutingConfigError>
  create(std::vector<OutboundRule> rules, std::vector<std::string> emergency_trunks,
         NumberingPlan plan);

  [[nodiscard]] std::expected<OutboundDecision, OutboundRefusal>
  route(std::string_view dialled, PermissionClass user_class) const;

private:
  OutboundRoutes(std::vector<OutboundRule> rules, std::vector<std::string> emergency_trunks,
                 NumberingPlan plan);

  [[nodiscard]] std::expected<OutboundDecision, OutboundRefusal>
  apply(const OutboundRule& rule, std::string_view stripped, CallClass call_class) const;

  std::vector<OutboundRule> rules_;
  std::vector<std::string> emergency_trunks_;
  NumberingPlan plan_;
};

} // namespace starling::pbx
