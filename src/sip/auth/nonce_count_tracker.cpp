// The nonce-count window per nonce, bounded in memory, oldest entries evicted first.
#include "sip/auth/nonce_count_tracker.h"

#include <algorithm>
#include <bit>
#include <functional>

namespace starling::sip {

namespace {

std::uint64_t fingerprint_of(std::string_view nonce) {
  const auto hash = std::hash<std::string_view>{}(nonce);
  return hash == 0 ? 1 : hash; // 0 marks an empty slot
}

} // namespace

NonceCountTracker::NonceCountTracker(std::size_t max_nonces)
    : max_nonces_(std::max<std::size_t>(max_nonces, 1)), slots_(std::bit_ceil(2 * max_nonces_)),
      mask_(slots_.size() - 1) {}

NonceCountVerdict NonceCountTracker::use(std::string_view nonce, core::Clock::TimePoint issued,
                                         std::uint32_t nc) {
  if (nc == 0) {
    return NonceCountVerdict::replayed; // nc counts from 00000001 (RFC 7616 §3.4)
  }
  const Fingerprint fingerprint = fingerprint_of(nonce);
  const std::scoped_lock lock(mutex_);
  std::size_t index = slot_of(fingerprint);
  if (slots_[index].nonce == fingerprint) {
    return record(slots_[index].window, nc) ? NonceCountVerdict::accepted
                                            : NonceCountVerdict::replayed;
  }
  if (issued <= evicted_up_to_) {
    return NonceCountVerdict::forgotten;
  }
  if (size_ >= max_nonces_) {
    evict_oldest();
    index = slot_of(fingerprint); // the eviction may have shifted entries into the slot
  }
  Slot& slot = slots_[index];
  slot = {fingerprint, {}};
  record(slot.window, nc);
  ++size_;
  order_.push_back({issued, fingerprint});
  return NonceCountVerdict::accepted;
}

void NonceCountTracker::forget_issued_before(core::Clock::TimePoint cutoff) {
  const std::scoped_lock lock(mutex_);
  while (!order_.empty() && order_.front().issued < cutoff) {
    erase(order_.front().nonce);
    order_.pop_front();
  }
}

std::size_t NonceCountTracker::size() const {
  const std::scoped_lock lock(mutex_);
  return size_;
}

std::size_t NonceCountTracker::slot_of(Fingerprint nonce) const {
  std::size_t index = nonce & mask_;
  while (slots_[index].nonce != 0 && slots_[index].nonce != nonce) {
    index = (index + 1) & mask_;
  }
  return index;
}

// Backward-shift deletion: the entries after the hole that probed past it move into it, so
// lookups never need tombstones.
void NonceCountTracker::erase(Fingerprint nonce) {
  std::size_t hole = slot_of(nonce);
  if (slots_[hole].nonce == 0) {
    return;
  }
  --size_;
  for (std::size_t next = (hole + 1) & mask_; slots_[next].nonce != 0; next = (next + 1) & mask_) {
    const std::size_t home = slots_[next].nonce & mask_;
    // Whether `next`'s entry would no longer be found with a hole between home and it.
    const bool probed_past_hole = ((next - home) & mask_) >= ((next - hole) & mask_);
    if (probed_past_hole) {
      slots_[hole] = slots_[next];
      hole = next;
    }
  }
  slots_[hole] = {};
}

void NonceCountTracker::evict_oldest() {
  const Order& oldest = order_.front();
  evicted_up_to_ = std::max(evicted_up_to_, oldest.issued);
  erase(oldest.nonce);
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
