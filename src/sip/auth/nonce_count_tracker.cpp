// The nonce-count window per nonce, bounded in memory, oldest entries evicted first.
#include "sip/auth/nonce_count_tracker.h"

#include <algorithm>
#include <functional>

namespace starling::sip {

NonceCountTracker::NonceCountTracker(std::size_t max_nonces)
    : max_nonces_(std::max<std::size_t>(max_nonces, 1)) {}

NonceCountVerdict NonceCountTracker::use(std::string_view nonce, core::Clock::TimePoint issued,
                                         std::uint32_t nc) {
  if (nc == 0) {
    return NonceCountVerdict::replayed; // nc counts from 00000001 (RFC 7616 §3.4)
  }
  const Fingerprint fingerprint = std::hash<std::string_view>{}(nonce);
  const std::scoped_lock lock(mutex_);
  if (const auto it = windows_.find(fingerprint); it != windows_.end()) {
    return record(it->second, nc) ? NonceCountVerdict::accepted : NonceCountVerdict::replayed;
  }
  if (issued <= evicted_up_to_) {
    return NonceCountVerdict::forgotten;
  }
  if (windows_.size() >= max_nonces_) {
    evict_oldest();
  }
  Window window;
  record(window, nc);
  windows_.emplace(fingerprint, window);
  order_.push_back({issued, fingerprint});
  return NonceCountVerdict::accepted;
}

void NonceCountTracker::forget_issued_before(core::Clock::TimePoint cutoff) {
  const std::scoped_lock lock(mutex_);
  while (!order_.empty() && order_.front().issued < cutoff) {
    windows_.erase(order_.front().nonce);
    order_.pop_front();
  }
}

std::size_t NonceCountTracker::size() const {
  const std::scoped_lock lock(mutex_);
  return windows_.size();
}

void NonceCountTracker::evict_oldest() {
  const Order& oldest = order_.front();
  evicted_up_to_ = std::max(evicted_up_to_, oldest.issued);
  windows_.erase(oldest.nonce);
  order_.pop_front();
}

bool NonceCountTracker::record(Window& window, std::uint32_t nc) {
  if (window.seen == 0) { // a new entry
    window.highest = nc;
    window.seen = 1;
    return true;
  }
  if (nc > window.highest) {
    const std::uint32_t shift = nc - window.highest;
    window.seen = shift >= kNonceCountWindow ? 0 : window.seen << shift;
    window.seen |= 1U;
    window.highest = nc;
    return true;
  }
  const std::uint32_t below = window.highest - nc;
  if (below >= kNonceCountWindow) {
    return false;
  }
  const std::uint64_t bit = std::uint64_t{1} << below;
  if ((window.seen & bit) != 0) {
    return false;
  }
  window.seen |= bit;
  return true;
}

} // namespace starling::sip
