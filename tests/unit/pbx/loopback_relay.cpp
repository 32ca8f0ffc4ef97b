// Picks random port windows until the relay can open a stream in one.
#include "loopback_relay.h"

#include <random>

#include <unistd.h>

namespace starling::pbx::test {

LoopbackRelay start_loopback_relay(core::MetricsRegistry& metrics, unsigned streams) {
  constexpr int kAttempts = 20;
  const unsigned ports = 4 * streams; // two RTP/RTCP pairs per stream
  std::mt19937 random(static_cast<unsigned>(::getpid()) ^
                      static_cast<unsigned>(std::random_device{}()));
  std::uniform_int_distribution<unsigned> pick(20000 / 2, (32000 - ports) / 2);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    LoopbackRelay found;
    found.port_min = static_cast<std::uint16_t>(pick(random) * 2);
    found.port_max = static_cast<std::uint16_t>(found.port_min + ports - 1);
    found.relay = std::make_unique<media::MediaRelay>(
        media::RelaySettings{.bind_address = boost::asio::ip::make_address("127.0.0.1"),
                             .port_min = found.port_min,
                             .port_max = found.port_max,
                             .threads = 1},
        metrics);
    if (!found.relay->start()) {
      continue;
    }
    // A window where another program holds every RTP port still starts; try a stream.
    if (const auto probe = found.relay->open_stream()) {
      found.relay->close_stream(*probe);
      return found;
    }
  }
  return {};
}

} // namespace starling::pbx::test
