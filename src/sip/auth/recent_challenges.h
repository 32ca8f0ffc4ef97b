// The nonce and To tag of recent challenges, found again by the request they answered.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace starling::sip {

// 32,768 slots of 88 bytes: 2.9 MB. A challenge keeps its slot for t seconds at r challenges a
// second with a chance of exp(-r*t/32768): at 1,000 a second, a client's first retransmission
// (0.5 s on) finds it 98 times in 100 and its third (3.5 s on) 90 times; at 20,000 a second
// the first finds it three times in four.
inline constexpr std::size_t kDefaultRecentChallengeSlots = std::size_t{1} << 15U;

// A stateless UAS answers a retransmitted request "just as if it were replying to the first
// instance", with the same To tag (RFC 3261 §8.2.7). Challenges are sent statelessly, so that a
// flood of unauthenticated requests creates no transaction state; their nonce and To tag are
// random, so to send the same 401 again they are kept here, by the key of the request's
// transaction (RFC 3261 §17.2.3). A client that compares the two answers, as SIPp does,
// otherwise sees a second, different 401 and gives up.
//
// A direct-mapped table: each key has one slot, and a newer challenge whose key falls into
// the same slot replaces the older one, whose retransmission then gets a fresh challenge (as
// without this table). Nothing is allocated after construction. One thread at a time.
class RecentChallenges {
public:
  struct Challenge {
    std::string nonce;
    std::string tag;
  };

  // `span`: how long a challenge is found again, the time a client retransmits (64*T1).
  explicit RecentChallenges(core::Clock::Duration span,
                            std::size_t slots = kDefaultRecentChallengeSlots);

  // The challenge sent for `transaction_key` within the span, if its slot still holds it.
  [[nodiscard]] std::optional<Challenge> find(std::string_view transaction_key,
                                              core::Clock::TimePoint now) const;
  // Keeps `challenge` for `transaction_key`. A nonce or tag longer than a slot holds is not
  // kept (ours are 48 and 16 characters).
  void remember(std::string_view transaction_key, const Challenge& challenge,
                core::Clock::TimePoint now);

  static constexpr std::size_t kMaxNonce = 48;
  static constexpr std::size_t kMaxTag = 16;

private:
  using Fingerprint = std::uint64_t; // 0 marks an empty slot
  struct Slot {
    Fingerprint key = 0;
    core::Clock::TimePoint sent{};
    std::array<char, kMaxNonce> nonce{};
    std::array<char, kMaxTag> tag{};
    std::uint8_t nonce_size = 0;
    std::uint8_t tag_size = 0;
  };

  static Fingerprint fingerprint_of(std::string_view transaction_key);
  [[nodiscard]] std::size_t slot_of(Fingerprint key) const { return key & mask_; }

  core::Clock::Duration span_;
  std::vector<Slot> slots_;
  std::size_t mask_;
};

} // namespace starling::sip
