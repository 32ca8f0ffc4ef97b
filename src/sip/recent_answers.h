// The To tag (and a challenge's nonce) of recent answers to REGISTER, found again by the
// transaction of the request they answered.
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

// 65,536 slots of 88 bytes: 5.8 MB. An answer keeps its slot for t seconds at r answers a
// second with a chance of exp(-r*t/65536): at 2,000 a second (1,000 registrations, each
// challenged then accepted) a client's first retransmission, 0.5 s on, finds it 98 times in
// 100 and its third, 3.5 s on, 90 times; at 40,000 a second, the first three times in four.
// With half as many, a lost 200's retransmission at 20,000 registrations a second found its
// answer only about half the time, and lost answers are what overload looks like to a client.
inline constexpr std::size_t kDefaultRecentAnswerSlots = std::size_t{1} << 16U;

// REGISTERs are answered without transaction state: a flood of unauthenticated requests must
// create none, and a registration's state is its binding. A retransmission must still get
// the answer its first copy got (RFC 3261 §8.2.7, §17.2.2), To tag and nonce included: a
// client that compares them, as SIPp does, sees a different one as an unexpected message. And
// a retransmitted authenticated REGISTER whose 200 was lost carries a nonce count already
// used, which on its own would earn it a 401.
//
// So the random parts of each answer are kept here for as long as a client retransmits
// (64*T1), by the request's transaction key (RFC 3261 §17.2.3). A direct-mapped table: each
// key has one slot, and a newer answer whose key falls into the same slot replaces the older
// one, whose retransmission is then answered as if this table did not exist. Nothing is
// allocated after construction. One thread at a time.
class RecentAnswers {
public:
  enum class Kind : std::uint8_t {
    challenged, // 401 with `nonce`
    accepted,   // 200: the bindings were saved
  };
  struct Answer {
    Kind kind = Kind::challenged;
    std::string nonce; // empty unless challenged
    std::string tag;
  };
  // A transaction key, hashed (see key_of).
  using Key = std::uint64_t;

  // `span`: how long an answer is found again, the time a client retransmits (64*T1).
  explicit RecentAnswers(core::Clock::Duration span, std::size_t slots = kDefaultRecentAnswerSlots);

  // Two transactions alike in 64 bits would only share a slot's answer: a challenge repeated
  // to the wrong request makes its answer fail the digest check and it is challenged afresh;
  // a 200 repeated needs a correct digest and a nonce count this device has used already.
  static Key key_of(std::string_view transaction_key);

  // The answer sent for `key` within the span, if its slot still holds it.
  [[nodiscard]] std::optional<Answer> find(Key key, core::Clock::TimePoint now) const;
  // Keeps an answer. A nonce or tag longer than a slot holds is not kept (ours are 48 and
  // 16 characters).
  void remember(Key key, Kind kind, std::string_view nonce, std::string_view tag,
                core::Clock::TimePoint now);
  // Drops the answer kept for `key`, if its slot holds it: it turned out otherwise.
  void forget(Key key);

  static constexpr std::size_t kMaxNonce = 48;
  static constexpr std::size_t kMaxTag = 16;

private:
  struct Slot {
    Key key = 0; // 0 marks an empty slot
    core::Clock::TimePoint sent{};
    std::array<char, kMaxNonce> nonce{};
    std::array<char, kMaxTag> tag{};
    Kind kind = Kind::challenged;
    std::uint8_t nonce_size = 0;
    std::uint8_t tag_size = 0;
  };

  [[nodiscard]] std::size_t slot_of(Key key) const { return key & mask_; }

  core::Clock::Duration span_;
  std::vector<Slot> slots_;
  std::size_t mask_;
};

} // namespace starling::sip
