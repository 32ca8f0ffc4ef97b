// The answers to REGISTER sent in the last 64*T1, by transaction.
#include "sip/recent_answers.h"

#include <functional>

namespace starling::sip {

RecentAnswers::RecentAnswers(core::Clock::Duration span, std::size_t challenge_slots,
                             std::size_t acceptance_slots)
    : challenges_(span, challenge_slots), acceptances_(span, acceptance_slots) {}

RecentAnswers::Key RecentAnswers::key_of(std::string_view transaction_key) {
  const auto hash = std::hash<std::string_view>{}(transaction_key);
  return hash == 0 ? 1 : hash;
}

std::optional<RecentAnswers::Answer> RecentAnswers::find(Key key,
                                                         core::Clock::TimePoint now) const {
  if (const Acceptance* accepted = acceptances_.find(key, now)) {
    return Answer{Kind::accepted, {}, accepted->tag.text()};
  }
  if (const Challenge* challenged = challenges_.find(key, now)) {
    return Answer{Kind::challenged, challenged->nonce.text(), challenged->tag.text()};
  }
  return std::nullopt;
}

void RecentAnswers::remember(Key key, Kind kind, std::string_view nonce, std::string_view tag,
                             core::Clock::TimePoint now) {
  // A transaction has one answer: a later one of the other kind replaces it.
  acceptances_.forget(key);
  challenges_.forget(key);
  if (kind == Kind::accepted) {
    Acceptance accepted;
    if (accepted.tag.assign(tag)) {
      acceptances_.remember(key, accepted, now);
    }
    return;
  }
  Challenge challenged;
  if (challenged.nonce.assign(nonce) && challenged.tag.assign(tag)) {
    challenges_.remember(key, challenged, now);
  }
}

} // namespace starling::sip
