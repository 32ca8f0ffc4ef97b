// RFC 3261 §17.2.2 non-INVITE server transaction.
#include "sip/transaction/server_non_invite_transaction.h"

#include <utility>

namespace starling::sip {

ServerNonInviteTransaction::ServerNonInviteTransaction(std::uint64_t id,
                                                       TransactionContext& context,
                                                       ServerTransactionObserver& observer,
                                                       Message request, Destination source,
                                                       bool reliable)
    : id_(id), context_(context), observer_(observer), request_(std::move(request)),
      source_(std::move(source)), reliable_(reliable), timer_j_(context.timers),
      tu_deadline_(context.timers) {}

void ServerNonInviteTransaction::start() {
  // Not in RFC 3261: a TU that never answers would keep the transaction forever. After
  // Timer F's 64*T1 the client has given up (§17.1.2.2), so no answer can matter any more.
  tu_deadline_.start(timer_f(context_.settings), [this] { on_tu_deadline(); });
}

void ServerNonInviteTransaction::on_request_retransmission() {
  // RFC 3261 §17.2.2: Trying discards retransmissions; Proceeding and Completed answer
  // them with the last response sent.
  if (state_ == State::proceeding || state_ == State::completed) {
    send(last_response_);
  }
}

std::expected<void, RespondError> ServerNonInviteTransaction::respond(std::uint16_t status_code,
                                                                      std::string bytes) {
  if (status_code < 100 || status_code > 699) {
    return std::unexpected(RespondError::invalid_status);
  }
  if (state_ != State::trying && state_ != State::proceeding) {
    return std::unexpected(RespondError::final_response_sent);
  }
  last_response_ = std::move(bytes);
  if (status_code < 200) {
    state_ = State::proceeding; // RFC 3261 §17.2.2: Trying → Proceeding on 1xx from TU
    send(last_response_);
    return {};
  }
  // RFC 3261 §17.2.2: → Completed on 200–699 from TU; Timer J absorbs retransmissions.
  state_ = State::completed;
  tu_deadline_.cancel();
  if (!send(last_response_)) {
    return {};
  }
  const auto wait = timer_j(context_.settings, reliable_);
  if (wait.count() == 0) {
    terminate();
  } else {
    timer_j_.start(wait, [this] { on_timer_j(); });
  }
  return {};
}

void ServerNonInviteTransaction::on_transport_error() {
  if (state_ == State::proceeding || state_ == State::completed) {
    // RFC 3261 §17.2.2 and §17.2.4: → Terminated, inform the TU.
    terminate();
    observer_.on_failure(id_, TransactionError::transport_error);
  }
}

void ServerNonInviteTransaction::on_timer_j() {
  if (state_ == State::completed) {
    terminate(); // RFC 3261 §17.2.2: Completed → Terminated
  }
}

void ServerNonInviteTransaction::on_tu_deadline() {
  if (state_ == State::trying || state_ == State::proceeding) {
    terminate();
    observer_.on_failure(id_, TransactionError::timeout);
  }
}

bool ServerNonInviteTransaction::send(std::string_view bytes) {
  if (context_.transport.send(source_, bytes, reliable_, id_)) {
    return true;
  }
  on_transport_error();
  return false;
}

void ServerNonInviteTransaction::terminate() {
  state_ = State::terminated;
  timer_j_.cancel();
  tu_deadline_.cancel();
  observer_.on_terminated(id_);
}

} // namespace starling::sip
