// The RTP/RTCP relay: bridges each media stream of a call between the caller's and the
// callee's phone through ports of ours, on worker threads that never touch signalling.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>

#include "core/metrics.h"

namespace starling::media {

class PortAllocator;

namespace detail {
class RelayWorker;
struct RelayStream;
struct RelayMetrics;
} // namespace detail

enum class Side : std::uint8_t { a, b }; // a = caller side, b = callee side

// One m= line bridged between two phones.
using StreamId = std::uint64_t;

struct RelaySettings {
  boost::asio::ip::address bind_address; // "::" serves IPv4 (v4-mapped) and IPv6 alike
  std::uint16_t port_min = 10000;        // RTP takes even ports, RTCP the next odd one
  std::uint16_t port_max = 20000;
  unsigned threads = 1; // 0 counts as 1
};

// Where the phones send to: RTP on these ports, RTCP on each plus one.
struct StreamPorts {
  std::uint16_t a_rtp = 0; // given to the caller
  std::uint16_t b_rtp = 0; // given to the callee
};

// Where a phone wants its media, from its SDP.
struct PeerAddress {
  boost::asio::ip::udp::endpoint rtp, rtcp;
  // The phone is behind NAT (its SDP address is not where its packets come from): send it
  // nothing until its first packet arrives and latches the address (symmetric RTP, RFC 4961).
  bool latch_only = false;
};

// Packets and bytes received from each phone, RTP and RTCP together, relayed or not; a
// counter that stops moving means the phone stopped sending.
struct StreamCounters {
  std::uint64_t packets_from_a = 0, packets_from_b = 0, bytes_from_a = 0, bytes_from_b = 0;
};

enum class RelayError : std::uint8_t { ports_exhausted, stopped };

[[nodiscard]] std::string_view to_string(RelayError error);

// Owned by app/, used by the B2BUA from one signalling thread: open_stream, set_peer,
// close_stream, start and stop are called from that thread; ports, counters and open_streams
// from any thread. A packet arriving on one side's RTP (RTCP) socket is sent, unchanged, from
// the other side's RTP (RTCP) socket to that side's phone. Each side learns its phone's real
// address from the first packet it receives (latching), which overrides the SDP address so
// phones behind NAT get audio both ways.
class MediaRelay {
public:
  MediaRelay(RelaySettings settings, core::MetricsRegistry& metrics);
  MediaRelay(const MediaRelay&) = delete;
  MediaRelay& operator=(const MediaRelay&) = delete;
  MediaRelay(MediaRelay&&) = delete;
  MediaRelay& operator=(MediaRelay&&) = delete;
  ~MediaRelay(); // stops the workers and closes every stream

  // Checks the settings and starts the worker threads. The error is for the operator
  // ("media.address 10.9.9.9 is not an address of this host"). Once only.
  std::expected<void, std::string> start();
  // Stops the workers and closes every stream; open_stream fails with `stopped` afterwards.
  void stop();

  // Binds four sockets (side a RTP/RTCP, side b RTP/RTCP) and hands them to a worker.
  std::expected<StreamId, RelayError> open_stream();
  // Zeros for an unknown stream.
  [[nodiscard]] StreamPorts ports(StreamId stream) const;
  // May be called again (re-INVITE): the side then re-latches on its next packet. Unknown
  // streams are ignored.
  void set_peer(StreamId stream, Side side, const PeerAddress& peer);
  // Frees the ports once the worker has closed the sockets (within microseconds); safe on
  // unknown ids.
  void close_stream(StreamId stream);

  // A snapshot; nothing for an unknown or closed stream.
  [[nodiscard]] std::optional<StreamCounters> counters(StreamId stream) const;
  [[nodiscard]] std::size_t open_streams() const;

private:
  enum class State : std::uint8_t { created, running, stopped };

  RelaySettings settings_;
  std::unique_ptr<detail::RelayMetrics> metrics_;
  std::unique_ptr<PortAllocator> allocator_;
  std::vector<std::unique_ptr<detail::RelayWorker>> workers_;
  State state_ = State::created;
  StreamId next_id_ = 1;
  std::size_t next_worker_ = 0;

  // Guards streams_ for the readers on other threads; workers never take it.
  mutable std::mutex mutex_;
  std::unordered_map<StreamId, std::shared_ptr<detail::RelayStream>> streams_;
};

} // namespace starling::media
