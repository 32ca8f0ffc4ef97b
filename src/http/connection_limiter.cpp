// Counts open connections per source address and refuses those over the caps.
#include "http/connection_limiter.h"

#include <utility>

namespace starling::http {

namespace {

// An IPv4 client on a dual-stack socket appears as ::ffff:a.b.c.d; count it as a.b.c.d.
boost::asio::ip::address canonical(const boost::asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  return address;
}

} // namespace

ConnectionLimiter::Admission::Admission(ConnectionLimiter& limiter,
                                        boost::asio::ip::address address)
    : limiter_(&limiter), address_(std::move(address)) {}

ConnectionLimiter::Admission::Admission(Admission&& other) noexcept
    : limiter_(std::exchange(other.limiter_, nullptr)), address_(std::move(other.address_)) {}

ConnectionLimiter::Admission::~Admission() {
  if (limiter_ != nullptr) {
    limiter_->release(address_);
  }
}

ConnectionLimiter::ConnectionLimiter(std::size_t total, std::size_t per_address,
                                     HttpMetrics& metrics)
    : total_(total), per_address_(per_address), metrics_(metrics) {}

std::optional<ConnectionLimiter::Admission>
ConnectionLimiter::admit(const boost::asio::ip::address& address) {
  const auto source = canonical(address);
  const std::scoped_lock lock(mutex_);
  if (open_ >= total_) {
    metrics_.reject(Rejection::connection_limit);
    return std::nullopt;
  }
  auto& from_source = by_address_[source];
  if (from_source >= per_address_) {
    metrics_.reject(Rejection::address_limit);
    return std::nullopt;
  }
  ++from_source;
  ++open_;
  metrics_.connections.set(static_cast<std::int64_t>(open_));
  return std::optional<Admission>(std::in_place, *this, source);
}

std::size_t ConnectionLimiter::open() const {
  const std::scoped_lock lock(mutex_);
  return open_;
}

void ConnectionLimiter::release(const boost::asio::ip::address& address) {
  const std::scoped_lock lock(mutex_);
  if (const auto found = by_address_.find(address); found != by_address_.end()) {
    if (--found->second == 0) {
      by_address_.erase(found);
    }
  }
  --open_;
  metrics_.connections.set(static_cast<std::int64_t>(open_));
}

} // namespace starling::http
