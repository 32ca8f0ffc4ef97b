// The To tag (and a challenge's nonce) of recent answers to REGISTER, found again by the
// transaction of the request they answered.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace starling::sip {

// An answer keeps its slot for t seconds at r answers a second with a chance of
// exp(-r*t/slots). Challenges, 32,768 slots of 80 bytes (2.6 MB): a 401 is sent again only
// when its first copy was lost or late, and at 1,000 registrations a second a retransmission
// 0.5 s on finds it 98 times in 100. Acceptances, 131,072 slots of 32 bytes (4.2 MB): a lost
// 200 is what overload looks like to a client, so these are kept longer. At 20,000
// registrations a second a retransmission 0.5 s on finds its 200 93 times in 100 and one
// 1.5 s on 80 times; one table of 65,536 mixed slots gave 74 and 40, and lost registrations.
inline constexpr std::size_t kDefaultRecentChallengeSlots = std::size_t{1} << 15U;
inline constexpr std::size_t kDefaultRecentAcceptanceSlots = std::size_t{1} << 17U;

namespace detail {

// Text of at most N characters kept in place, padded with NULs, which nonces and tags (SIP
// tokens) never hold: the length needs no room of its own.
template <std::size_t N> class PaddedText {
public:
  // False, keeping nothing, when `text` is longer than N.
  bool assign(std::string_view text) {
    if (text.size() > N) {
      return false;
    }
    chars_.fill('\0');
    std::ranges::copy(text, chars_.begin());
    return true;
  }
  [[nodiscard]] std::string text() const {
    return {chars_.data(),
            static_cast<std::size_t>(std::ranges::find(chars_, '\0') - chars_.begin())};
  }

private:
  std::array<char, N> chars_{};
};

// A direct-mapped table by transaction key: each key has one slot, and a newer entry whose
// key falls into the same slot replaces the older one. Nothing is allocated after
// construction.
template <typename Payload> class TransactionSlots {
public:
  TransactionSlots(core::Clock::Duration span, std::size_t slots)
      : span_(span), slots_(std::bit_ceil(std::max<std::size_t>(slots, 1))),
        mask_(slots_.size() - 1) {}

  // The entry for `key` kept within the span, if its slot still holds it.
  [[nodiscard]] const Payload* find(std::uint64_t key, core::Clock::TimePoint now) const {
    const Slot& slot = slots_[key & mask_];
    return slot.key == key && now - slot.sent <= span_ ? &slot.payload : nullptr;
  }
  void remember(std::uint64_t key, const Payload& payload, core::Clock::TimePoint now) {
    slots_[key & mask_] = {key, now, payload};
  }
  // Drops the entry for `key`, if its slot holds it.
  void forget(std::uint64_t key) {
    Slot& slot = slots_[key & mask_];
    if (slot.key == key) {
      slot = Slot{};
    }
  }

private:
  struct Slot {
    std::uint64_t key = 0; // 0 marks an empty slot
    core::Clock::TimePoint sent{};
    Payload payload{};
  };
  core::Clock::Duration span_;
  std::vector<Slot> slots_;
  std::size_t mask_;
};

} // namespace detail

// REGISTERs are answered without transaction state: a flood of unauthenticated requests must
// create none, and a registration's state is its binding. A retransmission must still get
// the answer its first copy got (RFC 3261 §8.2.7, §17.2.2), To tag and nonce included: a
// client that compares them, as SIPp does, sees a different one as an unexpected message. And
// a retransmitted authenticated REGISTER whose 200 was lost carries a nonce count already
// used, which on its own would earn it a 401.
//
// So the random parts of each answer are kept here for as long as a client retransmits
// (64*T1), by the request's transaction key (RFC 3261 §17.2.3), in two direct-mapped tables
// (challenges and acceptances). An answer whose slot a newer one took is forgotten: its
// retransmission is answered as if this table did not exist. One thread at a time.
class RecentAnswers {
public:
  struct Challenge {
    std::string nonce;
    std::string tag;
  };
  // A transaction key, hashed (see key_of).
  using Key = std::uint64_t;

  // `span`: how long an answer is found again, the time a client retransmits (64*T1).
  explicit RecentAnswers(core::Clock::Duration span,
                         std::size_t challenge_slots = kDefaultRecentChallengeSlots,
                         std::size_t acceptance_slots = kDefaultRecentAcceptanceSlots);

  // Two transactions alike in 64 bits would only share a slot's answer: a challenge repeated
  // to the wrong request makes its answer fail the digest check and it is challenged afresh;
  // a 200 repeated needs a correct digest and a nonce count this device has used already.
  static Key key_of(std::string_view transaction_key);

  // The 401 sent for `key` within the span, if its slot still holds it.
  [[nodiscard]] std::optional<Challenge> challenge_for(Key key, core::Clock::TimePoint now) const;
  // The To tag of the 200 sent for `key` within the span, if its slot still holds it.
  [[nodiscard]] std::optional<std::string> acceptance_for(Key key,
                                                          core::Clock::TimePoint now) const;
  // Keep an answer; a transaction has one, so each replaces one of the other kind. A nonce or
  // tag longer than a slot holds is not kept (ours are 48 and 16 characters).
  void remember_challenge(Key key, std::string_view nonce, std::string_view tag,
                          core::Clock::TimePoint now);
  void remember_acceptance(Key key, std::string_view tag, core::Clock::TimePoint now);

  static constexpr std::size_t kMaxNonce = 48;
  static constexpr std::size_t kMaxTag = 16;

private:
  struct SentChallenge {
    detail::PaddedText<kMaxNonce> nonce;
    detail::PaddedText<kMaxTag> tag;
  };
  struct SentAcceptance {
    detail::PaddedText<kMaxTag> tag;
  };

  detail::TransactionSlots<SentChallenge> challenges_;
  detail::TransactionSlots<SentAcceptance> acceptances_;
};

} // namespace starling::sip
