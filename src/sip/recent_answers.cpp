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

std::optional<RecentAnswers::Challenge>
RecentAnswers::challenge_for(Key key, core::Clock::TimePoint now) const {
  if (const SentChallenge* sent = challenges_.find(key, now)) {
    return Challenge{sent->nonce.text(), sent->tag.text()};
  }
  return std::nullopt;
}

std::optional<std::string> RecentAnswers::acceptance_for(Key key,
                                                         core::Clock::TimePoint now) const {
  if (const SentAcceptance* sent = acceptances_.find(key, now)) {
    return sent->tag.text();
  }
  return std::nullopt;
}

void RecentAnswers::remember_challenge(Key key, std::string_view nonce, std::string_view tag,
                                       core::Clock::TimePoint now) {
  acceptances_.forget(key);
  SentChallenge sent;
  if (sent.nonce.assign(nonce) && sent.tag.assign(tag)) {
    challenges_.remember(key, sent, now);
  } else {
    challenges_.forget(key);
  }
}

void RecentAnswers::remember_acceptance(Key key, std::string_view tag, core::Clock::TimePoint now) {
  challenges_.forget(key);
  SentAcceptance sent;
  if (sent.tag.assign(tag)) {
    acceptances_.remember(key, sent, now);
  } else {
    acceptances_.forget(key);
  }
}

} // namespace starling::sip
