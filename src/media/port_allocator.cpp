// Hands out RTP/RTCP port pairs from the configured range, bound and ready to use.
#include "media/port_allocator.h"

#include <utility>

namespace starling::media {

PortAllocator::PortAllocator(boost::asio::ip::address bind_address, std::uint16_t port_min,
                             std::uint16_t port_max)
    : bind_address_(std::move(bind_address)) {
  // Port 0 would mean "any port" to bind(); the range starts at 2 at the lowest.
  const std::uint32_t low = port_min < 2 ? 2U : port_min;
  first_port_ = low + (low % 2);
  if (first_port_ + 1 <= port_max) {
    in_use_.resize((port_max - first_port_ + 1) / 2, false);
  }
}

std::optional<BoundPortPair> PortAllocator::allocate() {
  const std::scoped_lock lock(mutex_);
  const std::size_t count = in_use_.size();
  for (std::size_t tried = 0; tried < count && in_use_count_ < count; ++tried) {
    const std::size_t index = (next_ + tried) % count;
    if (in_use_[index]) {
      continue;
    }
    BoundPortPair pair;
    pair.rtp_port = port_of(index);
    auto rtp = detail::bind_udp(bind_address_, pair.rtp_port);
    if (!rtp) {
      continue;
    }
    auto rtcp = detail::bind_udp(bind_address_, pair.rtcp_port());
    if (!rtcp) {
      continue;
    }
    pair.rtp = std::move(*rtp);
    pair.rtcp = std::move(*rtcp);
    in_use_[index] = true;
    ++in_use_count_;
    next_ = (index + 1) % count;
    return pair;
  }
  return std::nullopt;
}

void PortAllocator::release(std::uint16_t rtp_port) {
  const std::scoped_lock lock(mutex_);
  if (rtp_port < first_port_ || (rtp_port - first_port_) % 2 != 0) {
    return;
  }
  const std::size_t index = (rtp_port - first_port_) / 2;
  if (index < in_use_.size() && in_use_[index]) {
    in_use_[index] = false;
    --in_use_count_;
  }
}

std::size_t PortAllocator::in_use() const {
  const std::scoped_lock lock(mutex_);
  return in_use_count_;
}

} // namespace starling::media
