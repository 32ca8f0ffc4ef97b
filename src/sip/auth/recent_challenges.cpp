// A direct-mapped table of the challenges sent in the last 64*T1, by transaction key.
#include "sip/auth/recent_challenges.h"

#include <algorithm>
#include <bit>
#include <functional>

namespace starling::sip {

RecentChallenges::RecentChallenges(core::Clock::Duration span, std::size_t slots)
    : span_(span), slots_(std::bit_ceil(std::max<std::size_t>(slots, 1))),
      mask_(slots_.size() - 1) {}

RecentChallenges::Fingerprint RecentChallenges::fingerprint_of(std::string_view transaction_key) {
  // Two keys alike in 64 bits would only repeat a challenge to the wrong request: its answer
  // then fails the digest check, and the client is challenged afresh.
  const auto hash = std::hash<std::string_view>{}(transaction_key);
  return hash == 0 ? 1 : hash;
}

std::optional<RecentChallenges::Challenge>
RecentChallenges::find(std::string_view transaction_key, core::Clock::TimePoint now) const {
  const Fingerprint key = fingerprint_of(transaction_key);
  const Slot& slot = slots_[slot_of(key)];
  if (slot.key != key || now - slot.sent > span_) {
    return std::nullopt;
  }
  return Challenge{std::string(slot.nonce.data(), slot.nonce_size),
                   std::string(slot.tag.data(), slot.tag_size)};
}

void RecentChallenges::remember(std::string_view transaction_key, const Challenge& challenge,
                                core::Clock::TimePoint now) {
  if (challenge.nonce.size() > kMaxNonce || challenge.tag.size() > kMaxTag) {
    return;
  }
  const Fingerprint key = fingerprint_of(transaction_key);
  Slot& slot = slots_[slot_of(key)];
  slot.key = key;
  slot.sent = now;
  std::ranges::copy(challenge.nonce, slot.nonce.begin());
  std::ranges::copy(challenge.tag, slot.tag.begin());
  slot.nonce_size = static_cast<std::uint8_t>(challenge.nonce.size());
  slot.tag_size = static_cast<std::uint8_t>(challenge.tag.size());
}

} // namespace starling::sip
