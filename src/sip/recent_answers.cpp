// The answers to REGISTER sent in the last 64*T1, by transaction.
#include "sip/recent_answers.h"

#include <array>
#include <charconv>
#include <functional>

namespace starling::sip {

RecentAnswers::RecentAnswers(core::Clock::Duration span, std::size_t challenge_slots,
                             std::size_t acceptance_slots)
    : challenges_(span, challenge_slots), acceptances_(span, acceptance_slots) {}

RecentAnswers::Key RecentAnswers::key_of(const ValidatedRequest& request,
                                         std::string& transaction_key) {
  // One hash over one text: hashing the parts one by one cost five times as much. Line feeds
  // part them, which none of them holds.
  std::string& text = transaction_key;
  for (const std::string_view part : {request.from.tag(), request.call_id, request.to.uri.text}) {
    text += '\n';
    text += part;
  }
  std::array<char, 10> cseq{};
  const auto end = std::to_chars(cseq.begin(), cseq.end(), request.cseq.number).ptr;
  text += '\n';
  text.append(cseq.begin(), end);
  const auto key = std::hash<std::string_view>{}(text);
  return key == 0 ? 1 : key;
}

std::optional<RecentAnswers::Challenge>
RecentAnswers::challenge_for(Key key, core::Clock::TimePoint now) const {
  if (const SentChallenge* sent = challenges_.find(key, now)) {
    return Challenge{sent->nonce.text(), sent->tag.text()};
  }
  return std::nullopt;
}

std::optional<RecentAnswers::Acceptance>
RecentAnswers::acceptance_for(Key key, core::Clock::TimePoint now) const {
  if (const SentAcceptance* sent = acceptances_.find(key, now)) {
    return Acceptance{sent->tag.text()};
  }
  return std::nullopt;
}

void RecentAnswers::remember_challenge(Key key, std::string_view nonce, std::string_view tag,
                                       core::Clock::TimePoint now) {
  SentChallenge sent;
  if (sent.nonce.assign(nonce) && sent.tag.assign(tag)) {
    challenges_.remember(key, sent, now);
  }
}

void RecentAnswers::remember_acceptance(Key key, std::string_view tag, core::Clock::TimePoint now) {
  SentAcceptance sent;
  if (!tag.empty() && sent.tag.assign(tag)) {
    acceptances_.remember(key, sent, now);
  }
}

void RecentAnswers::remember_pending_acceptance(Key key, core::Clock::TimePoint now) {
  acceptances_.remember(key, SentAcceptance{}, now);
}

void RecentAnswers::forget_acceptance(Key key) {
  acceptances_.forget(key);
}

} // namespace starling::sip
