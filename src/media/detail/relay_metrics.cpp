// Registers the relay's metrics (names follow Prometheus conventions: _total counters).
#include "media/detail/relay_metrics.h"

namespace starling::media::detail {

namespace {

constexpr const char* kDroppedName = "starling_media_packets_dropped_total";
constexpr const char* kDroppedHelp = "RTP and RTCP packets received but not relayed, by reason";

} // namespace

RelayMetrics::RelayMetrics(core::MetricsRegistry& registry)
    : packets_relayed(registry.counter("starling_media_packets_relayed_total",
                                       "RTP and RTCP packets relayed between phones")),
      dropped_no_destination(
          registry.counter(kDroppedName, kDroppedHelp, {{"reason", "no_destination"}})),
      dropped_too_large(registry.counter(kDroppedName, kDroppedHelp, {{"reason", "too_large"}})),
      dropped_send_failed(
          registry.counter(kDroppedName, kDroppedHelp, {{"reason", "send_failed"}})),
      streams_open(registry.gauge("starling_media_streams", "Media streams being relayed")),
      ports_exhausted(registry.counter("starling_media_ports_exhausted_total",
                                       "Streams refused because no RTP port pair was free")) {}

} // namespace starling::media::detail
