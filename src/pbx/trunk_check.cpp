// Checks of trunk and outbound route settings before they are stored.
#include "pbx/trunk_check.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "directory/names.h"
#include "net/host_port.h"
#include "pbx/did_match.h"
#include "pbx/outbound_routes.h"
#include "pbx/trunk_source.h"

namespace starling::pbx {
namespace {

template <std::size_t N>
std::optional<SettingProblem> one_of(std::string_view field, const std::string& value,
                                     const std::array<std::string_view, N>& allowed) {
  if (std::ranges::find(allowed, value) != allowed.end()) {
    return std::nullopt;
  }
  return SettingProblem{std::string(field),
                        fmt::format("'{}' is not one of {}", value, fmt::join(allowed, ", "))};
}

std::optional<SettingProblem> check_plan(const RoutingSettings& settings,
                                         std::optional<NumberingPlan>& plan) {
  auto created = NumberingPlan::create(settings.numbering);
  if (!created) {
    return SettingProblem{"", fmt::format("set the numbering plan first (pbx.country_code and "
                                          "others in starling.toml): {}",
                                          created.error().message)};
  }
  plan = std::move(*created);
  return std::nullopt;
}

std::optional<SettingProblem> check_addresses(const store::Trunk& trunk) {
  if (trunk.kind == store::TrunkKind::ip && trunk.allowed_addresses.empty()) {
    return SettingProblem{"allowed_addresses",
                          "an IP-authenticated trunk needs the provider's addresses"};
  }
  for (const auto& address : trunk.allowed_addresses) {
    if (auto source = parse_trunk_source(address); !source) {
      return SettingProblem{"allowed_addresses", source.error()};
    }
  }
  return std::nullopt;
}

} // namespace

std::optional<SettingProblem> check_trunk(const store::Trunk& trunk,
                                          const RoutingSettings& settings) {
  if (auto problem = directory::check_name("trunk", trunk.name)) {
    return SettingProblem{"name", *problem};
  }
  for (const auto& [field, host] :
       {std::pair{"domain", trunk.domain}, std::pair{"outbound_proxy", trunk.outbound_proxy}}) {
    if (host.empty() && std::string_view(field) == "outbound_proxy") {
      continue;
    }
    if (auto parsed = net::parse_host_port(host, 0); !parsed || parsed->host.empty()) {
      return SettingProblem{field,
                            fmt::format(R"(expected "host" or "host:port", got "{}")", host)};
    }
  }
  if (auto problem = one_of("transport", trunk.transport,
                            std::array<std::string_view, 3>{"udp", "tcp", "tls"})) {
    return problem;
  }
  if (auto problem =
          one_of("caller_id_format", trunk.caller_id_format,
                 std::array<std::string_view, 4>{"e164", "national", "international", "digits"})) {
    return problem;
  }
  if (auto problem = one_of("identity", trunk.identity,
                            std::array<std::string_view, 3>{"pai", "ppi", "none"})) {
    return problem;
  }
  if (trunk.kind == store::TrunkKind::registration && trunk.username.empty()) {
    return SettingProblem{"username", "a registration trunk needs the account's user name"};
  }
  if (trunk.kind == store::TrunkKind::registration &&
      (trunk.expires < 60 || trunk.expires > 86400)) {
    return SettingProblem{"expires", "must be between 60 and 86400 seconds"};
  }
  if (auto problem = check_addresses(trunk)) {
    return problem;
  }
  std::optional<NumberingPlan> plan;
  if (trunk.numbers.empty()) {
    return std::nullopt;
  }
  if (auto problem = check_plan(settings, plan)) {
    problem->field = "numbers";
    return problem;
  }
  for (const auto& number : trunk.numbers) {
    if (auto did = DidMatch::parse(number.did, *plan); !did) {
      return SettingProblem{"numbers", did.error().message};
    }
    if (auto problem = directory::check_extension_number(number.target)) {
      return SettingProblem{"numbers", fmt::format("target of {}: {}", number.did, *problem)};
    }
  }
  return std::nullopt;
}

std::optional<SettingProblem> check_outbound_route(const store::OutboundRoute& route,
                                                   const RoutingSettings& settings) {
  if (auto problem = directory::check_name("route", route.name)) {
    return SettingProblem{"name", *problem};
  }
  // The pattern first: it can be judged without a numbering plan.
  if (auto pattern = DialPattern::parse(route.pattern); !pattern) {
    return SettingProblem{"pattern", pattern.error().message};
  }
  std::optional<NumberingPlan> plan;
  if (auto problem = check_plan(settings, plan)) {
    return problem;
  }
  if (auto rule = compile_route(route, *plan); !rule) {
    return std::move(rule.error());
  }
  return std::nullopt;
}

std::expected<OutboundRule, SettingProblem> compile_route(const store::OutboundRoute& route,
                                                          const NumberingPlan& plan) {
  auto pattern = DialPattern::parse(route.pattern);
  if (!pattern) {
    return std::unexpected(SettingProblem{"pattern", pattern.error().message});
  }
  OutboundRule rule{route.name, std::move(*pattern), route.strip, route.prepend,
                    route.e164, route.trunks,        std::nullopt};
  if (auto alone = OutboundRoutes::create({rule}, {}, plan); !alone) {
    return std::unexpected(SettingProblem{"", alone.error().message});
  }
  return rule;
}

} // namespace starling::pbx
