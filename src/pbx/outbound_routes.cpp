// Choosing the outbound rule, the number to send and the trunks for a dialled number.
#include "pbx/outbound_routes.h"

#include <algorithm>
#include <utility>

namespace starling::pbx {
namespace {

// RFC 3261 §21.4.4, §21.4.5 and §21.4.23.
constexpr std::uint16_t kForbidden = 403;
constexpr std::uint16_t kNotFound = 404;
constexpr std::uint16_t kAddressIncomplete = 484;

std::unexpected<OutboundRefusal> refuse(std::uint16_t status, std::string reason) {
  return std::unexpected(OutboundRefusal{status, std::move(reason)});
}

// A number the caller has not finished gets 484, so a phone with overlap dialling can ask
// for more; anything that is not a public number at all gets 404.
std::unexpected<OutboundRefusal> refuse(const NumberError& error) {
  const bool unfinished =
      error.problem == NumberProblem::empty || error.problem == NumberProblem::incomplete;
  return refuse(unfinished ? kAddressIncomplete : kNotFound, error.message);
}

std::expected<void, RoutingConfigError> check_rule(const OutboundRule& rule) {
  const auto fail = [&](const std::string& what) {
    return std::unexpected(RoutingConfigError{"outbound rule '" + rule.name + "': " + what});
  };
  if (rule.name.empty()) {
    return std::unexpected(
        RoutingConfigError{"outbound rule with pattern '" + rule.pattern.text() + "': no name"});
  }
  if (rule.trunks.empty()) {
    return fail("no trunks to send the call to");
  }
  if (std::ranges::any_of(rule.trunks, [](const std::string& trunk) { return trunk.empty(); })) {
    return fail("a trunk name is empty");
  }
  // Stripping all of a number leaves nothing to dial.
  if (rule.strip > 0 && rule.strip >= rule.pattern.min_length()) {
    return fail("strip " + std::to_string(rule.strip) + " removes all of the shortest number " +
                "that pattern '" + rule.pattern.text() + "' matches (" +
                std::to_string(rule.pattern.min_length()) + " characters)");
  }
  if (rule.prepend.size() > kMaxDialledLength ||
      !std::ranges::all_of(rule.prepend, is_dial_character)) {
    return fail("prepend must be at most " + std::to_string(kMaxDialledLength) +
                " characters of 0-9, *, # and +");
  }
  if (rule.send_e164 && !rule.prepend.empty()) {
    return fail("prepend and E.164 exclude each other: an E.164 number starts with +");
  }
  return {};
}

} // namespace

std::expected<OutboundRoutes, RoutingConfigError>
OutboundRoutes::create(std::vector<OutboundRule> rules, std::vector<std::string> emergency_trunks,
                       NumberingPlan plan) {
  for (const auto& rule : rules) {
    if (auto checked = check_rule(rule); !checked) {
      return std::unexpected(std::move(checked.error()));
    }
  }
  if (std::ranges::any_of(emergency_trunks,
                          [](const std::string& trunk) { return trunk.empty(); })) {
    return std::unexpected(RoutingConfigError{"emergency trunks: a trunk name is empty"});
  }
  return OutboundRoutes(std::move(rules), std::move(emergency_trunks), std::move(plan));
}

OutboundRoutes::OutboundRoutes(std::vector<OutboundRule> rules,
                               std::vector<std::string> emergency_trunks, NumberingPlan plan)
    : rules_(std::move(rules)), emergency_trunks_(std::move(emergency_trunks)),
      plan_(std::move(plan)) {}

std::expected<OutboundDecision, OutboundRefusal>
OutboundRoutes::route(std::string_view dialled, PermissionClass user_class) const {
  if (auto checked = check_dialled(dialled); !checked) {
    return refuse(checked.error());
  }
  const OutboundRule* passed_over = nullptr;
  for (const auto& rule : rules_) {
    if (!rule.pattern.matches(dialled)) {
      continue;
    }
    // check_rule made strip shorter than any number the pattern matches.
    const auto call_class = plan_.classify(dialled.substr(rule.strip));
    if (!call_class) {
      return refuse(call_class.error());
    }
    if (*call_class != CallClass::emergency) {
      if (!is_call_allowed(*call_class, user_class)) {
        return refuse(kForbidden,
                      std::string(to_string(*call_class)) + " calls are not allowed for this user");
      }
      if (rule.minimum_class && user_class < *rule.minimum_class) {
        passed_over = passed_over != nullptr ? passed_over : &rule;
        continue;
      }
    }
    return apply(rule, dialled.substr(rule.strip), *call_class);
  }
  if (passed_over != nullptr) {
    return refuse(kForbidden, "outbound rule '" + passed_over->name + "' is for users of class " +
                                  std::string(to_string(*passed_over->minimum_class)) +
                                  " and above");
  }
  if (plan_.is_emergency(dialled) && !emergency_trunks_.empty()) {
    return OutboundDecision{std::string(kEmergencyFallbackRule), std::string(dialled),
                            CallClass::emergency, emergency_trunks_};
  }
  return refuse(kNotFound, "no outbound route for this number");
}

std::expected<OutboundDecision, OutboundRefusal> OutboundRoutes::apply(const OutboundRule& rule,
                                                                       std::string_view stripped,
                                                                       CallClass call_class) const {
  OutboundDecision decision{rule.name, rule.prepend + std::string(stripped), call_class,
                            rule.trunks};
  // Providers take emergency numbers as dialled, never in E.164.
  if (rule.send_e164 && call_class != CallClass::emergency) {
    auto e164 = plan_.to_e164(stripped);
    if (!e164) {
      return refuse(kNotFound, "outbound rule '" + rule.name +
                                   "' sends E.164 numbers: " + e164.error().message);
    }
    decision.number = std::move(*e164);
  }
  return decision;
}

} // namespace starling::pbx
