// One relayed media stream as the relay's worker sees it: four sockets, where each side's
// packets go, and the counters the signalling thread reads.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "media/detail/udp_socket.h"
#include "media/media_relay.h"

namespace starling::media::detail {

enum class Channel : std::uint8_t { rtp, rtcp };

inline constexpr std::size_t kSides = 2;
inline constexpr std::size_t kChannels = 2;

[[nodiscard]] constexpr std::size_t index_of(Side side) {
  return static_cast<std::size_t>(side);
}
[[nodiscard]] constexpr std::size_t index_of(Channel channel) {
  return static_cast<std::size_t>(channel);
}

struct RelayStream;

// One of the stream's sockets; epoll events carry a pointer to it, so the worker finds the
// stream without a lookup.
struct RelaySocket {
  RelayStream* stream = nullptr;
  std::uint8_t side = 0;    // index_of(Side)
  std::uint8_t channel = 0; // index_of(Channel)
  core::UniqueFd fd;
};

// Where packets for one side's phone go, on RTP or RTCP. Only the stream's worker touches it.
struct Route {
  SocketAddress destination; // empty: drop (address unknown, or latch_only not yet latched)
  bool latched = false;      // destination is where the phone's packets come from
};

struct RelayStream {
  // Set by the signalling thread before the worker sees the stream, then only read.
  StreamId id = 0;
  StreamPorts ports;
  std::size_t worker = 0;
  std::array<std::array<RelaySocket, kChannels>, kSides> sockets; // [side][channel]

  // The worker's own.
  std::array<std::array<Route, kChannels>, kSides> routes; // [side][channel]
  bool closed = false; // events already fetched for it are ignored

  // Written by the worker alone (a plain load and store, no locked add), read by any thread.
  std::array<std::atomic<std::uint64_t>, kSides> packets_from{};
  std::array<std::atomic<std::uint64_t>, kSides> bytes_from{};
};

} // namespace starling::media::detail
