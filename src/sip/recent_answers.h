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
#include "sip/validation.h"

namespace starling::sip {

// Both tables are set-associative, kRecentAnswerWays slots to a bucket, and a new answer
// takes the oldest slot of its bucket. So an answer is lost only once kRecentAnswerWays newer
// ones fell into its bucket: at r answers a second into b buckets, it survives t seconds
// unless a Poisson variable of mean r*t/b reaches kRecentAnswerWays.
// - Challenges, 32,768 slots of 80 bytes (2.6 MB): a 401 is sent again only when its first
//   copy was lost or late. At 20,000 registrations a second, a retransmission 0.5 s on finds
//   it 996 times in 1,000.
// - Acceptances, 262,144 slots of 32 bytes (8.4 MB): a lost 200 is what overload looks like
//   to a client, so these are kept longer. At 20,000 registrations a second, a retransmission
//   3.5 s on finds its 200 998 times in 1,000, and one 7.5 s on 9 times in 10. Half as many
//   slots lost registrations in bench/run.py at that rate (docs/sip.md).
inline constexpr std::size_t kRecentAnswerWays = 8;
inline constexpr std::size_t kDefaultRecentChallengeSlots = std::size_t{1} << 15U;
inline constexpr std::size_t kDefaultRecentAcceptanceSlots = std::size_t{1} << 18U;

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

// A table by key in which each key has a bucket of kRecentAnswerWays ways, and a new entry
// takes the bucket's way that is empty or holds the oldest entry. Nothing is allocated after
// construction.
template <typename Payload> class TransactionSlots {
public:
  TransactionSlots(core::Clock::Duration span, std::size_t slots)
      : span_(span), buckets_(std::bit_ceil(std::max<std::size_t>(slots / kRecentAnswerWays, 1))),
        mask_(buckets_.size() - 1) {}

  // The entry for `key` kept within the span, if its bucket still holds it.
  [[nodiscard]] const Payload* find(std::uint64_t key, core::Clock::TimePoint now) const {
    const Bucket& bucket = buckets_[key & mask_];
    const std::size_t way = bucket.way_of(key);
    return way < kRecentAnswerWays && now - bucket.sent[way] <= span_ ? &bucket.payloads[way]
                                                                      : nullptr;
  }
  void remember(std::uint64_t key, const Payload& payload, core::Clock::TimePoint now) {
    Bucket& bucket = buckets_[key & mask_];
    std::size_t way = bucket.way_of(key);
    if (way == kRecentAnswerWays) {
      way = static_cast<std::size_t>(std::ranges::min_element(bucket.sent) - bucket.sent.begin());
    }
    bucket.keys[way] = key;
    bucket.sent[way] = now;
    bucket.payloads[way] = payload;
  }
  // Drops the entry for `key`, if its bucket holds it.
  void forget(std::uint64_t key) {
    Bucket& bucket = buckets_[key & mask_];
    if (const std::size_t way = bucket.way_of(key); way < kRecentAnswerWays) {
      bucket.keys[way] = 0;
      bucket.sent[way] = core::Clock::TimePoint::min();
    }
  }

private:
  // Keys and times apart from the payloads, so that a look-up reads two cache lines whatever
  // a payload's size; aligned so that no more lines than that are touched.
  struct alignas(64) Bucket {
    Bucket() { sent.fill(core::Clock::TimePoint::min()); } // an empty way is the oldest

    // The way holding `key`, or kRecentAnswerWays.
    [[nodiscard]] std::size_t way_of(std::uint64_t key) const {
      return static_cast<std::size_t>(std::ranges::find(keys, key) - keys.begin());
    }

    std::array<std::uint64_t, kRecentAnswerWays> keys{}; // 0: empty
    std::array<core::Clock::TimePoint, kRecentAnswerWays> sent;
    std::array<Payload, kRecentAnswerWays> payloads{};
  };
  core::Clock::Duration span_;
  std::vector<Bucket> buckets_;
  std::size_t mask_;
};

} // namespace detail

// REGISTERs are answered without transaction state: a flood of unauthenticated requests must
// create none, and a registration's state is its binding. A retransmission must still get
// the answer its first copy got (RFC 3261 §8.2.7, §17.2.2), To tag and nonce included: a
// client that compares them, as SIPp does, sees a different one as an unexpected message. And
// a retransmitted authenticated REGISTER must not be applied a second time: its nonce count
// is used already, and a copy built again with the next count (SIPp sends one when a 401
// reaches it twice) would find its own binding as new as the request, and get a 500.
//
// So the random parts of each answer are kept here for as long as a client retransmits
// (64*T1), by the request's key (see key_of), in two tables (challenges and acceptances). An
// acceptance is noted as soon as the registrar starts saving, so that copies arriving before
// the 200 are absorbed, as a server transaction in the Trying state absorbs them. An entry
// whose slot newer ones took is forgotten: its retransmission is handled as if this table did
// not exist. One thread at a time.
class RecentAnswers {
public:
  struct Challenge {
    std::string nonce;
    std::string tag;
  };
  // An authenticated REGISTER the registrar took on.
  struct Acceptance {
    std::string tag; // of the 200 sent; empty while that 200 waits for the save
    [[nodiscard]] bool answered() const { return !tag.empty(); }
  };
  // A request's key, hashed (see key_of).
  using Key = std::uint64_t;

  // `span`: how long an answer is found again, the time a client retransmits (64*T1).
  explicit RecentAnswers(core::Clock::Duration span,
                         std::size_t challenge_slots = kDefaultRecentChallengeSlots,
                         std::size_t acceptance_slots = kDefaultRecentAcceptanceSlots);

  // The server transaction's key (RFC 3261 §17.2.3), and with it what makes a request itself
  // (§8.2.2.2: From tag, Call-ID, CSeq) and the address of record it is about (the To URI).
  // A copy, even one whose Authorization was computed again, has the same key; a stranger
  // who learnt a phone's branch cannot have another AOR's bindings sent to him with it.
  // Two requests alike in 64 bits would only share a slot's answer. `transaction_key` holds
  // the server transaction's key (server_key()); the rest is appended to it, so that a
  // buffer reused from request to request allocates nothing.
  static Key key_of(const ValidatedRequest& request, std::string& transaction_key);

  // The 401 sent for `key` within the span, if its table still holds it.
  [[nodiscard]] std::optional<Challenge> challenge_for(Key key, core::Clock::TimePoint now) const;
  // The acceptance of `key` within the span, if its table still holds it.
  [[nodiscard]] std::optional<Acceptance> acceptance_for(Key key, core::Clock::TimePoint now) const;
  // Keep an answer. A nonce or tag longer than a slot holds is not kept (ours are 48 and 16
  // characters); nor is an empty tag.
  void remember_challenge(Key key, std::string_view nonce, std::string_view tag,
                          core::Clock::TimePoint now);
  void remember_acceptance(Key key, std::string_view tag, core::Clock::TimePoint now);
  // The registrar is saving what `key` asked for: its 200 follows, or another answer.
  void remember_pending_acceptance(Key key, core::Clock::TimePoint now);
  // The registrar refused `key` after all, or could not save it: copies get handled afresh.
  void forget_acceptance(Key key);

  static constexpr std::size_t kMaxNonce = 48;
  static constexpr std::size_t kMaxTag = 16;

private:
  struct SentChallenge {
    detail::PaddedText<kMaxNonce> nonce;
    detail::PaddedText<kMaxTag> tag;
  };
  struct SentAcceptance {
    detail::PaddedText<kMaxTag> tag; // empty: pending
  };

  detail::TransactionSlots<SentChallenge> challenges_;
  detail::TransactionSlots<SentAcceptance> acceptances_;
};

} // namespace starling::sip
