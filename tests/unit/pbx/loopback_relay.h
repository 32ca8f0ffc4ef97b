// A media relay on 127.0.0.1 for tests, in a window of ports that is free when the test
// starts: benchmarks and integration tests running beside the unit tests hold ports too.
#pragma once

#include <cstdint>
#include <memory>

#include "core/metrics.h"
#include "media/media_relay.h"

namespace starling::pbx::test {

struct LoopbackRelay {
  std::unique_ptr<media::MediaRelay> relay; // started; null when no free window was found
  std::uint16_t port_min = 0;
  std::uint16_t port_max = 0;
};

// Room for `streams` streams somewhere in 20000–32000 (below the ephemeral ports).
LoopbackRelay start_loopback_relay(core::MetricsRegistry& metrics, unsigned streams);

} // namespace starling::pbx::test
