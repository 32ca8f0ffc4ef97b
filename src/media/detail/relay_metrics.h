// The relay's Prometheus metrics, looked up once so workers only add to them.
#pragma once

#include "core/metrics.h"

namespace starling::media::detail {

struct RelayMetrics {
  explicit RelayMetrics(core::MetricsRegistry& registry);

  core::Counter& packets_relayed;
  // Why packets were not relayed; the `reason` label of starling_media_packets_dropped_total.
  core::Counter& dropped_no_destination; // the other phone's address is not known yet
  core::Counter& dropped_too_large;      // over the receive buffer: no RTP packet is this big
  core::Counter& dropped_send_failed;    // the kernel refused it (socket buffer full, no route)
  core::Gauge& streams_open;
  core::Counter& ports_exhausted;
};

} // namespace starling::media::detail
