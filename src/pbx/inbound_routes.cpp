// Choosing the target of a call that arrives on a trunk.
#include "pbx/inbound_routes.h"

#include <utility>

namespace starling::pbx {
namespace {

// RFC 3261 §21.4.5: the number is not assigned here.
constexpr std::uint16_t kNotFound = 404;

std::unexpected<RoutingConfigError> config_error(std::string_view trunk, const std::string& what) {
  return std::unexpected(
      RoutingConfigError{"inbound routes of trunk '" + std::string(trunk) + "': " + what});
}

// True when `candidate` should win over `best` for a number both match.
bool more_specific(const DidMatch& candidate, const DidMatch& best) {
  if (candidate.kind() != best.kind()) {
    return candidate.kind() < best.kind();
  }
  // Of two equal ranges, or two patterns, the one listed first stays.
  return candidate.kind() == DidKind::range && candidate.size() < best.size();
}

} // namespace

std::expected<InboundRoutes, RoutingConfigError>
InboundRoutes::create(std::vector<TrunkInboundSettings> trunks,
                      std::optional<std::string> global_default, NumberingPlan plan) {
  if (global_default && global_default->empty()) {
    return std::unexpected(RoutingConfigError{"inbound routes: the default target is empty"});
  }
  std::map<std::string, Trunk, std::less<>> compiled;
  for (auto& settings : trunks) {
    if (settings.trunk.empty()) {
      return std::unexpected(RoutingConfigError{"inbound routes: a trunk name is empty"});
    }
    if (compiled.contains(settings.trunk)) {
      return config_error(settings.trunk, "the trunk is listed twice");
    }
    if (settings.default_target && settings.default_target->empty()) {
      return config_error(settings.trunk, "the default target is empty");
    }
    Trunk trunk{{}, std::move(settings.default_target)};
    for (auto& route : settings.dids) {
      auto did = DidMatch::parse(route.did, plan);
      if (!did) {
        return config_error(settings.trunk, did.error().message);
      }
      if (route.target.empty()) {
        return config_error(settings.trunk, "DID '" + route.did + "' has no target");
      }
      // Two targets for one number would leave the choice to the order of the list.
      if (did->kind() == DidKind::number) {
        for (const auto& entry : trunk.entries) {
          if (entry.did.kind() == DidKind::number &&
              entry.did.first_number() == did->first_number()) {
            return config_error(settings.trunk, "DID '" + route.did + "' is the same number as '" +
                                                    entry.did.text() + "'");
          }
        }
      }
      trunk.entries.push_back(Entry{std::move(*did), std::move(route.target)});
    }
    compiled.emplace(std::move(settings.trunk), std::move(trunk));
  }
  return InboundRoutes(std::move(compiled), std::move(global_default), std::move(plan));
}

InboundRoutes::InboundRoutes(std::map<std::string, Trunk, std::less<>> trunks,
                             std::optional<std::string> global_default, NumberingPlan plan)
    : trunks_(std::move(trunks)), global_default_(std::move(global_default)),
      plan_(std::move(plan)) {}

const InboundRoutes::Entry* InboundRoutes::most_specific(const Trunk& trunk,
                                                         std::string_view e164) {
  const Entry* best = nullptr;
  for (const auto& entry : trunk.entries) {
    if (entry.did.matches(e164) && (best == nullptr || more_specific(entry.did, best->did))) {
      best = &entry;
    }
  }
  return best;
}

std::expected<InboundDecision, InboundRefusal> InboundRoutes::route(std::string_view trunk_name,
                                                                    std::string_view called) const {
  const auto trunk = trunks_.find(trunk_name);
  const Trunk* settings = trunk != trunks_.end() ? &trunk->second : nullptr;
  // Junk is treated as an unknown DID: it still reaches a default target if there is one.
  auto e164 = plan_.received_to_e164(called);
  std::string number = e164 ? std::move(*e164) : std::string();
  if (settings != nullptr && !number.empty()) {
    if (const Entry* entry = most_specific(*settings, number)) {
      const auto matched_by = entry->did.kind() == DidKind::number  ? InboundMatch::number
                              : entry->did.kind() == DidKind::range ? InboundMatch::range
                                                                    : InboundMatch::pattern;
      return InboundDecision{entry->target, std::move(number), matched_by};
    }
  }
  if (settings != nullptr && settings->default_target) {
    return InboundDecision{*settings->default_target, std::move(number),
                           InboundMatch::trunk_default};
  }
  if (global_default_) {
    return InboundDecision{*global_default_, std::move(number), InboundMatch::global_default};
  }
  return std::unexpected(
      InboundRefusal{kNotFound, e164 ? "the called number is not assigned"
                                     : "the called number is no number: " + e164.error().message});
}

} // namespace starling::pbx
