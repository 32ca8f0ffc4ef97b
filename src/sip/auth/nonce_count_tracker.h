// Replay protection for qop=auth: which nonce-count values each nonce has already used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace starling::sip {

// Entries take 24 bytes in a table twice the cap's size, so the default bounds it near 3 MB.
// Entries only live as long as their nonce (five minutes by default), so the cap is reached
// only by far more phones than one registrar serves, or by a flood; then the oldest go.
inline constexpr std::size_t kDefaultMaxTrackedNonces = 65536;

// nc values this far below the highest one seen are still accepted once: a phone sends a
// REGISTER and a few INVITEs on the same nonce in parallel, and they may arrive reordered.
inline constexpr std::uint32_t kNonceCountWindow = 64;

enum class NonceCountVerdict : std::uint8_t {
  accepted,
  replayed,  // seen before, zero, or below the window: reject (RFC 7616 §3.4)
  forgotten, // the nonce's entry was evicted: it can no longer be checked, so ask for a
             // fresh nonce with stale=true instead of risking an undetected replay
};

// Per nonce, the highest nc and a bitmap of the kNonceCountWindow values below it, as the
// IPsec anti-replay window (RFC 4303 §3.4.3). Shared by the signalling shards, since one
// nonce may be used by requests with different Call-IDs, hence the lock.
class NonceCountTracker {
public:
  explicit NonceCountTracker(std::size_t max_nonces = kDefaultMaxTrackedNonces);

  // Records nc for a nonce already known to be authentic and fresh, minted at `issued`.
  NonceCountVerdict use(std::string_view nonce, core::Clock::TimePoint issued, std::uint32_t nc);

  // Drops entries of nonces minted before `cutoff` (expired ones, which the nonce check
  // turns away before they get here). Entries are dropped from the oldest first use on.
  void forget_issued_before(core::Clock::TimePoint cutoff);

  [[nodiscard]] std::size_t size() const;

private:
  struct Window {
    std::uint32_t highest = 0;
    std::uint64_t seen = 0; // bit i: highest - i was used
  };
  // A nonce is known by a 64-bit fingerprint rather than its text, which took two thirds of
  // an entry: nonces reach the tracker only once proven ours, and each carries random
  // octets, so two collide with a chance of 2^-64 (and a collision costs one 401).
  using Fingerprint = std::uint64_t;
  struct Order {
    core::Clock::TimePoint issued;
    Fingerprint nonce = 0;
  };

  // An open-addressing table (linear probing, at most half full, a power of two in size):
  // finding a nonce touches one or two cache lines and adding one allocates nothing. A
  // node-based map's allocation, hashing modulo a prime and pointer chasing for the add,
  // the lookup and the eviction that every registration makes cost 2.6% of the server's
  // CPU at 8,000 registrations a second.
  struct Slot {
    Fingerprint nonce = 0; // 0: empty (fingerprints are never 0)
    Window window;
  };
  [[nodiscard]] std::size_t slot_of(Fingerprint nonce) const; // its slot, or the empty one
  void erase(Fingerprint nonce);
  void evict_oldest();
  static bool record(Window& window, std::uint32_t nc);

  mutable std::mutex mutex_;
  std::size_t max_nonces_;
  std::vector<Slot> slots_;
  std::size_t mask_;
  std::size_t size_ = 0;
  std::deque<Order> order_; // first use, oldest at the front
  // Nonces minted at or before this were possibly evicted: their nc history is lost.
  core::Clock::TimePoint evicted_up_to_{core::Clock::TimePoint::min()};
};

} // namespace starling::sip
