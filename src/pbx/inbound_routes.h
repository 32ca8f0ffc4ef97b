// Inbound routes: which extension a call from a trunk rings, by the number it was made to.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pbx/did_match.h"
#include "pbx/numbering_plan.h"
#include "pbx/routing_config_error.h"

namespace starling::pbx {

struct DidRoute {
  std::string did;    // see DidMatch: "+49301234567", "+49301234500-+49301234599", "+4930…X"
  std::string target; // what the dial plan is asked to route: an extension number
};

struct TrunkInboundSettings {
  std::string trunk;
  std::vector<DidRoute> dids{};
  std::optional<std::string> default_target{}; // for numbers none of the DIDs match
};

enum class InboundMatch { number, range, pattern, trunk_default, global_default };

struct InboundDecision {
  std::string target;
  // The called number in E.164; empty when the trunk sent something that is no number.
  std::string called;
  InboundMatch matched_by = InboundMatch::number;
};

struct InboundRefusal {
  std::uint16_t sip_status = 404;
  std::string reason; // never repeats the called number, which came from the network
};

// The called number is normalised with the numbering plan first, so a provider may send
// E.164, the national form or digits without "+". Where entries of a trunk overlap, the most
// specific wins: a number over a range over a pattern; of two ranges the narrower; of two
// patterns, or of two ranges of the same size, the one listed first. Numbers no entry
// matches go to the trunk's default target, else to the global one, else get 404. So does
// a called "number" that is none: some providers put their account name in the Request-URI.
class InboundRoutes {
public:
  static std::expected<InboundRoutes, RoutingConfigError>
  create(std::vector<TrunkInboundSettings> trunks, std::optional<std::string> global_default,
         NumberingPlan plan);

  [[nodiscard]] std::expected<InboundDecision, InboundRefusal> route(std::string_view trunk,
                                                                     std::string_view called) const;

private:
  struct Entry {
    DidMatch did;
    std::string target;
  };
  struct Trunk {
    std::vector<Entry> entries;
    std::optional<std::string> default_target;
  };

  InboundRoutes(std::map<std::string, Trunk, std::less<>> trunks,
                std::optional<std::string> global_default, NumberingPlan plan);

  [[nodiscard]] static const Entry* most_specific(const Trunk& trunk, std::string_view e164);

  std::map<std::string, Trunk, std::less<>> trunks_;
  std::optional<std::string> global_default_;
  NumberingPlan plan_;
};

} // namespace starling::pbx
