// Doctor check: is the RTP port range large enough for the calls expected at once?
#include <fmt/format.h>

#include "app/doctor/checks.h"

namespace starling::app::doctor {
namespace {

// A relayed call takes an RTP and an RTCP port on each of its two legs.
constexpr unsigned kPortsPerCall = 4;

} // namespace

std::vector<CheckResult> check_rtp_range(const core::Config& config) {
  if (!config.sip.enabled) {
    return {{CheckStatus::pass, "rtp range", "SIP is disabled, no media ports needed", ""}};
  }
  const auto& media = config.media;
  const unsigned ports =
      media.rtp_port_max >= media.rtp_port_min ? media.rtp_port_max - media.rtp_port_min + 1U : 0U;
  const unsigned calls = ports / kPortsPerCall;
  const std::string found =
      fmt::format("{} ports ({}-{}) carry {} simultaneous calls, {} expected", ports,
                  config.listen_port(media.rtp_port_min), config.listen_port(media.rtp_port_max),
                  calls, media.expected_calls);
  if (calls < media.expected_calls) {
    return {{CheckStatus::warn, "rtp range", found,
             fmt::format("widen media.rtp_port_min/rtp_port_max to at least {} ports (and the "
                         "router's forwarding with it), or lower media.expected_calls",
                         media.expected_calls * kPortsPerCall)}};
  }
  return {{CheckStatus::pass, "rtp range", found, ""}};
}

} // namespace starling::app::doctor
