// Hands out RTP/RTCP port pairs from the configured range, bound and ready to use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "media/detail/udp_socket.h"

namespace starling::media {

// RTP on an even port and RTCP on the next odd one (RFC 3550 §11; RFC 3264 §5.1 and phones
// assume RTCP = RTP + 1 when the SDP has no a=rtcp).
struct BoundPortPair {
  std::uint16_t rtp_port = 0;
  core::UniqueFd rtp;
  core::UniqueFd rtcp;

  [[nodiscard]] std::uint16_t rtcp_port() const { return static_cast<std::uint16_t>(rtp_port + 1); }
};

// Walks the range round-robin, so a port freed by one call is not handed to the next one while
// late packets of the old call may still arrive on it. A pair that fails to bind (another
// program has it) is skipped. Thread-safe: the signalling thread allocates and relay workers
// release once they have closed the sockets.
class PortAllocator {
public:
  PortAllocator(boost::asio::ip::address bind_address, std::uint16_t port_min,
                std::uint16_t port_max);

  // Nothing when every pair in the range is in use or fails to bind.
  [[nodiscard]] std::optional<BoundPortPair> allocate();
  // Makes the pair starting at `rtp_port` available again; its sockets must be closed.
  void release(std::uint16_t rtp_port);

  // How many pairs the range holds.
  [[nodiscard]] std::size_t capacity() const { return in_use_.size(); }
  [[nodiscard]] std::size_t in_use() const;

private:
  [[nodiscard]] std::uint16_t port_of(std::size_t index) const {
    return static_cast<std::uint16_t>(first_port_ + 2 * index);
  }

  const boost::asio::ip::address bind_address_;
  std::uint32_t first_port_ = 0; // the lowest even port of the range
  mutable std::mutex mutex_;
  std::vector<bool> in_use_; // by pair index
  std::size_t next_ = 0;     // the pair to try first
  std::size_t in_use_count_ = 0;
};

} // namespace starling::media
