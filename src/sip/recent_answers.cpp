// A direct-mapped table of the answers to REGISTER sent in the last 64*T1, by transaction.
#include "sip/recent_answers.h"

#include <algorithm>
#include <bit>
#include <functional>

namespace starling::sip {

RecentAnswers::RecentAnswers(core::Clock::Duration span, std::size_t slots)
    : span_(span), slots_(std::bit_ceil(std::max<std::size_t>(slots, 1))),
      mask_(slots_.size() - 1) {}

RecentAnswers::Key RecentAnswers::key_of(std::string_view transaction_key) {
  const auto hash = std::hash<std::string_view>{}(transaction_key);
  return hash == 0 ? 1 : hash;
}

std::optional<RecentAnswers::Answer> RecentAnswers::find(Key key,
                                                         core::Clock::TimePoint now) const {
  const Slot& slot = slots_[slot_of(key)];
  if (slot.key != key || now - slot.sent > span_) {
    return std::nullopt;
  }
  return Answer{slot.kind, std::string(slot.nonce.data(), slot.nonce_size),
                std::string(slot.tag.data(), slot.tag_size)};
}

void RecentAnswers::remember(Key key, Kind kind, std::string_view nonce, std::string_view tag,
                             core::Clock::TimePoint now) {
  if (nonce.size() > kMaxNonce || tag.size() > kMaxTag) {
    return;
  }
  Slot& slot = slots_[slot_of(key)];
  slot.key = key;
  slot.sent = now;
  slot.kind = kind;
  std::ranges::copy(nonce, slot.nonce.begin());
  std::ranges::copy(tag, slot.tag.begin());
  slot.nonce_size = static_cast<std::uint8_t>(nonce.size());
  slot.tag_size = static_cast<std::uint8_t>(tag.size());
}

void RecentAnswers::forget(Key key) {
  Slot& slot = slots_[slot_of(key)];
  if (slot.key == key) {
    slot = Slot{};
  }
}

} // namespace starling::sip
