// The SIP trunks and the routes through them, compiled from the store into one immutable
// snapshot that the dial plan consults for calls to and from the public network.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "pbx/inbound_routes.h"
#include "pbx/numbering_plan.h"
#include "pbx/outbound_routes.h"
#include "pbx/trunk_source.h"
#include "store/records.h"

namespace starling::pbx {

struct RoutingSettings {
  NumberingPlanSettings numbering;
  std::vector<std::string> emergency_trunks;
};

class TrunkRouting {
public:
  // Entries that do not compile (a route whose pattern no longer parses, a trunk whose DID
  // is malformed) are left out with a warning in the log, so one bad entry does not stop
  // every other call; the CLI and the API refuse such entries before they are stored.
  static TrunkRouting compile(std::vector<store::Trunk> trunks,
                              const std::vector<store::OutboundRoute>& routes,
                              const RoutingSettings& settings);

  // An enabled trunk by name, or null.
  [[nodiscard]] const store::Trunk* trunk(std::string_view name) const;
  [[nodiscard]] const std::vector<store::Trunk>& trunks() const { return trunks_; }

  // The enabled trunk one of whose allowed sources `address`:`port` is: an IP trunk's, or a
  // registration trunk's whose provider sends calls from more than its registrar.
  [[nodiscard]] std::optional<std::string> trunk_at(const boost::asio::ip::address& address,
                                                    std::uint16_t port) const;

  [[nodiscard]] std::expected<OutboundDecision, OutboundRefusal>
  outbound(std::string_view dialled, PermissionClass caller) const;
  [[nodiscard]] std::expected<InboundDecision, InboundRefusal>
  inbound(std::string_view trunk, std::string_view called) const;

  // A number of the plan in E.164 as `trunk` wants to see it (Trunk::caller_id_format).
  [[nodiscard]] std::string caller_id(const store::Trunk& trunk, std::string_view e164) const;
  // A trunk's single numbers (not its ranges or patterns) in E.164, in the order given, with
  // the extension each leads to: the numbers its callers can be shown with.
  struct SingleNumber {
    std::string e164;
    std::string target;
  };
  [[nodiscard]] std::span<const SingleNumber> single_numbers(std::string_view trunk) const;

private:
  struct AllowedSource {
    std::string trunk;
    TrunkSource source;
  };

  std::vector<store::Trunk> trunks_;
  std::vector<AllowedSource> allowed_sources_;
  std::optional<NumberingPlan> plan_;
  std::optional<OutboundRoutes> outbound_;
  std::optional<InboundRoutes> inbound_;
  std::map<std::string, std::vector<SingleNumber>, std::less<>> single_numbers_;
};

} // namespace starling::pbx
