// Compiling trunks and routes from the store, and answering routing questions with them.
#include "pbx/trunk_routing.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "pbx/trunk_check.h"

namespace starling::pbx {
namespace {

NumberFormat number_format(std::string_view name) {
  if (name == "national") {
    return NumberFormat::national;
  }
  if (name == "international") {
    return NumberFormat::international;
  }
  return name == "digits" ? NumberFormat::digits : NumberFormat::e164;
}

std::vector<OutboundRule> compile_rules(const std::vector<store::OutboundRoute>& routes,
                                        const NumberingPlan& plan) {
  std::vector<OutboundRule> rules;
  for (const auto& route : routes) {
    auto rule = compile_route(route, plan);
    if (!rule) {
      spdlog::warn("pbx: outbound route '{}' left out: {}", route.name, rule.error().message);
      continue;
    }
    rules.push_back(std::move(*rule));
  }
  return rules;
}

// Each trunk's numbers as inbound routes; the single ones are also kept in `single_numbers`.
std::vector<TrunkInboundSettings> compile_inbound(
    const std::vector<store::Trunk>& trunks, const NumberingPlan& plan,
    std::map<std::string, std::vector<TrunkRouting::SingleNumber>, std::less<>>& single_numbers) {
  std::vector<TrunkInboundSettings> compiled;
  for (const auto& trunk : trunks) {
    TrunkInboundSettings settings{trunk.name, {}, std::nullopt};
    if (!trunk.unknown_did.empty()) {
      settings.default_target = trunk.unknown_did;
    }
    for (const auto& number : trunk.numbers) {
      auto did = DidMatch::parse(number.did, plan);
      if (!did) {
        spdlog::warn("pbx: trunk '{}': number left out: {}", trunk.name, did.error().message);
        continue;
      }
      if (did->kind() == DidKind::number) {
        single_numbers[trunk.name].push_back({did->first_number(), number.target});
      }
      settings.dids.push_back({number.did, number.target});
    }
    compiled.push_back(std::move(settings));
  }
  return compiled;
}

} // namespace

TrunkRouting TrunkRouting::compile(std::vector<store::Trunk> trunks,
                                   const std::vector<store::OutboundRoute>& routes,
                                   const RoutingSettings& settings) {
  TrunkRouting routing;
  std::erase_if(trunks, [](const store::Trunk& trunk) { return !trunk.enabled; });
  routing.trunks_ = std::move(trunks);
  for (const auto& trunk : routing.trunks_) {
    for (const auto& allowed : trunk.allowed_addresses) {
      if (auto source = parse_trunk_source(allowed)) {
        routing.allowed_sources_.push_back({trunk.name, *source});
      } else {
        spdlog::warn("pbx: trunk '{}': {}", trunk.name, source.error());
      }
    }
  }
  if (routing.trunks_.empty()) {
    return routing;
  }
  auto plan = NumberingPlan::create(settings.numbering);
  if (!plan) {
    spdlog::error("pbx: no calls through trunks until the numbering plan is set (pbx.country_code "
                  "and others in starling.toml): {}",
                  plan.error().message);
    return routing;
  }
  routing.plan_ = *plan;
  auto outbound =
      OutboundRoutes::create(compile_rules(routes, *plan), settings.emergency_trunks, *plan);
  if (outbound) {
    routing.outbound_ = std::move(*outbound);
  } else {
    spdlog::error("pbx: no outbound calls: {}", outbound.error().message);
  }
  auto inbound = InboundRoutes::create(
      compile_inbound(routing.trunks_, *plan, routing.single_numbers_), std::nullopt, *plan);
  if (inbound) {
    routing.inbound_ = std::move(*inbound);
  } else {
    spdlog::error("pbx: no inbound calls: {}", inbound.error().message);
  }
  return routing;
}

const store::Trunk* TrunkRouting::trunk(std::string_view name) const {
  const auto found = std::ranges::find(trunks_, name, &store::Trunk::name);
  return found == trunks_.end() ? nullptr : &*found;
}

std::optional<std::string> TrunkRouting::trunk_at(const boost::asio::ip::address& address,
                                                  std::uint16_t port) const {
  for (const auto& [trunk, source] : allowed_sources_) {
    if (source.matches(address, port)) {
      return trunk;
    }
  }
  return std::nullopt;
}

std::expected<OutboundDecision, OutboundRefusal>
TrunkRouting::outbound(std::string_view dialled, PermissionClass caller) const {
  if (!outbound_) {
    return std::unexpected(OutboundRefusal{404, "no outbound routes"});
  }
  return outbound_->route(dialled, caller);
}

std::expected<InboundDecision, InboundRefusal>
TrunkRouting::inbound(std::string_view trunk, std::string_view called) const {
  if (!inbound_) {
    return std::unexpected(InboundRefusal{404, "no inbound routes"});
  }
  return inbound_->route(trunk, called);
}

std::string TrunkRouting::caller_id(const store::Trunk& trunk, std::string_view e164) const {
  if (!plan_) {
    return std::string(e164);
  }
  auto formatted = plan_->format(e164, number_format(trunk.caller_id_format));
  return formatted ? *formatted : std::string(e164);
}

std::span<const TrunkRouting::SingleNumber>
TrunkRouting::single_numbers(std::string_view trunk) const {
  const auto found = single_numbers_.find(trunk);
  return found == single_numbers_.end() ? std::span<const SingleNumber>()
                                        : std::span<const SingleNumber>(found->second);
}

} // namespace starling::pbx
