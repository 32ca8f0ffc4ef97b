// RFC 3261 §17.2.1 INVITE server transaction with the RFC 6026 §7.1 Accepted state.
#include "sip/transaction/server_invite_transaction.h"

#include <utility>

#include "sip/response_builder.h"

namespace starling::sip {

ServerInviteTransaction::ServerInviteTransaction(std::uint64_t id, TransactionContext& context,
                                                 ServerTransactionObserver& observer,
                                                 Message invite, Destination source, bool reliable)
    : id_(id), context_(context), observer_(observer), invite_(std::move(invite)),
      source_(std::move(source)), reliable_(reliable), trying_timer_(context.timers),
      timer_g_(context.timers), timer_h_(context.timers), timer_i_(context.timers),
      timer_l_(context.timers) {}

void ServerInviteTransaction::start() {
  // RFC 3261 §17.2.1: a 100 Trying quenches INVITE retransmissions unless the TU answers
  // within 200 ms.
  trying_timer_.start(context_.settings.trying_delay, [this] { on_trying_timer(); });
}

void ServerInviteTransaction::on_trying_timer() {
  if (state_ != State::proceeding || !last_response_.empty()) {
    return;
  }
  // RFC 3261 §17.2.1: built as in §8.2.6, and SHOULD NOT add a To tag.
  last_response_ = ResponseBuilder{invite_, 100, "Trying", ""}.finish();
  send(last_response_);
}

void ServerInviteTransaction::on_request_retransmission() {
  // RFC 3261 §17.2.1: Proceeding resends the last provisional response, Completed the final
  // one; RFC 6026 §7.1: Accepted absorbs retransmissions (the TU retransmits its 2xx).
  if ((state_ == State::proceeding || state_ == State::completed) && !last_response_.empty()) {
    send(last_response_);
  }
}

ServerInviteTransaction::AckDisposition ServerInviteTransaction::on_ack() {
  if (state_ == State::accepted) {
    return AckDisposition::pass_to_tu; // RFC 6026 §7.1
  }
  if (state_ != State::completed) {
    return AckDisposition::absorbed; // Confirmed absorbs ACK retransmissions
  }
  // RFC 3261 §17.2.1: Completed → Confirmed; stop G and H, Timer I absorbs ACKs.
  state_ = State::confirmed;
  timer_g_.cancel();
  timer_h_.cancel();
  const auto wait = timer_i(context_.settings, reliable_);
  if (wait.count() == 0) {
    terminate();
  } else {
    timer_i_.start(wait, [this] { on_timer_i(); });
  }
  return AckDisposition::absorbed;
}

std::expected<void, RespondError> ServerInviteTransaction::respond(std::uint16_t status_code,
                                                                   std::string bytes) {
  if (status_code < 100 || status_code > 699) {
    return std::unexpected(RespondError::invalid_status);
  }
  const bool is_2xx = status_code >= 200 && status_code < 300;
  if (state_ == State::accepted && is_2xx) {
    send(bytes); // RFC 6026 §7.1: the TU's 2xx retransmissions go out through Accepted
    return {};
  }
  if (state_ != State::proceeding) {
    return std::unexpected(RespondError::final_response_sent);
  }
  trying_timer_.cancel();
  last_response_ = std::move(bytes);
  if (status_code < 200) {
    send(last_response_); // RFC 3261 §17.2.1: provisional responses keep Proceeding
  } else if (is_2xx) {
    // RFC 6026 §7.1: Proceeding → Accepted; Timer L keeps absorbing INVITE retransmissions.
    // Timer L starts first: a transport error keeps Accepted, which must still end.
    state_ = State::accepted;
    timer_l_.start(timer_l(context_.settings), [this] { on_timer_l(); });
    send(last_response_);
  } else {
    complete();
  }
  return {};
}

void ServerInviteTransaction::complete() {
  // RFC 3261 §17.2.1: Proceeding → Completed on 300–699; Timer G retransmits the response
  // on unreliable transports, Timer H waits for the ACK.
  state_ = State::completed;
  if (!send(last_response_)) {
    return;
  }
  if (!reliable_) {
    timer_g_interval_ = initial_retransmit_interval(context_.settings);
    timer_g_.start(timer_g_interval_, [this] { on_timer_g(); });
  }
  timer_h_.start(timer_h(context_.settings), [this] { on_timer_h(); });
}

void ServerInviteTransaction::on_transport_error() {
  if (state_ == State::accepted) {
    // RFC 6026 §7.1: inform the TU and stay in Accepted, which still absorbs retransmissions.
    observer_.on_failure(id_, TransactionError::transport_error);
    return;
  }
  if (state_ == State::proceeding || state_ == State::completed) {
    // RFC 3261 §17.2.1 and §17.2.4: → Terminated, inform the TU.
    terminate();
    observer_.on_failure(id_, TransactionError::transport_error);
  }
}

void ServerInviteTransaction::on_timer_g() {
  if (state_ != State::completed) {
    return;
  }
  // RFC 3261 §17.2.1: retransmit, interval doubling up to T2.
  if (!send(last_response_)) {
    return;
  }
  timer_g_interval_ = next_capped_interval(timer_g_interval_, context_.settings);
  timer_g_.start(timer_g_interval_, [this] { on_timer_g(); });
}

void ServerInviteTransaction::on_timer_h() {
  if (state_ == State::completed) {
    // RFC 3261 §17.2.1: no ACK arrived; Completed → Terminated, inform the TU.
    terminate();
    observer_.on_failure(id_, TransactionError::timeout);
  }
}

void ServerInviteTransaction::on_timer_i() {
  if (state_ == State::confirmed) {
    terminate(); // RFC 3261 §17.2.1: Confirmed → Terminated
  }
}

void ServerInviteTransaction::on_timer_l() {
  if (state_ == State::accepted) {
    terminate(); // RFC 6026 §7.1: Accepted → Terminated
  }
}

bool ServerInviteTransaction::send(std::string_view bytes) {
  if (context_.transport.send(source_, bytes, reliable_, id_)) {
    return true;
  }
  on_transport_error();
  return false;
}

void ServerInviteTransaction::terminate() {
  state_ = State::terminated;
  trying_timer_.cancel();
  timer_g_.cancel();
  timer_h_.cancel();
  timer_i_.cancel();
  timer_l_.cancel();
  observer_.on_terminated(id_);
}

} // namespace starling::sip
