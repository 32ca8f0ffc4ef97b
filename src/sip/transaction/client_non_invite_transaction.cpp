// RFC 3261 §17.1.2 non-INVITE client transaction.
#include "sip/transaction/client_non_invite_transaction.h"

#include <utility>

namespace starling::sip {

ClientNonInviteTransaction::ClientNonInviteTransaction(std::uint64_t id,
                                                       TransactionContext& context,
                                                       ClientTransactionObserver& observer,
                                                       Destination destination, bool reliable,
                                                       std::string request)
    : id_(id), context_(context), observer_(observer), destination_(std::move(destination)),
      reliable_(reliable), request_(std::move(request)), timer_e_(context.timers),
      timer_f_(context.timers), timer_k_(context.timers) {}

void ClientNonInviteTransaction::start() {
  // RFC 3261 §17.1.2.2: send, Timer E on unreliable transports only, Timer F always.
  if (!send(request_)) {
    return;
  }
  if (!reliable_) {
    timer_e_interval_ = initial_retransmit_interval(context_.settings);
    timer_e_.start(timer_e_interval_, [this] { on_timer_e(); });
  }
  timer_f_.start(timer_f(context_.settings), [this] { on_timer_f(); });
}

void ClientNonInviteTransaction::on_response(const Message& response) {
  if (state_ != State::trying && state_ != State::proceeding) {
    return; // RFC 3261 §17.1.2.2: Completed absorbs retransmitted responses
  }
  const std::uint16_t status = response.status_code();
  if (status < 200) {
    state_ = State::proceeding; // RFC 3261 §17.1.2.2: Trying → Proceeding
    observer_.on_response(id_, ClientResponse{&response, status});
    return;
  }
  // RFC 3261 §17.1.2.2: Trying/Proceeding → Completed on 200–699; Timer K waits for
  // retransmitted responses.
  state_ = State::completed;
  timer_e_.cancel();
  timer_f_.cancel();
  observer_.on_response(id_, ClientResponse{&response, status});
  if (state_ != State::completed) {
    return;
  }
  const auto wait = timer_k(context_.settings, reliable_);
  if (wait.count() == 0) {
    terminate();
  } else {
    timer_k_.start(wait, [this] { on_timer_k(); });
  }
}

void ClientNonInviteTransaction::on_transport_error() {
  if (state_ == State::trying || state_ == State::proceeding) {
    // RFC 3261 §17.1.2.2 and §17.1.4: → Terminated; §8.1.3.1: the TU sees a 503.
    terminate();
    observer_.on_response(id_, ClientResponse{nullptr, 503});
  }
}

void ClientNonInviteTransaction::on_timer_e() {
  if (state_ != State::trying && state_ != State::proceeding) {
    return;
  }
  if (!send(request_)) {
    return;
  }
  // RFC 3261 §17.1.2.2: doubling up to T2 in Trying; T2 from then on in Proceeding.
  timer_e_interval_ = state_ == State::trying
                          ? next_capped_interval(timer_e_interval_, context_.settings)
                          : context_.settings.t2;
  timer_e_.start(timer_e_interval_, [this] { on_timer_e(); });
}

void ClientNonInviteTransaction::on_timer_f() {
  if (state_ == State::trying || state_ == State::proceeding) {
    // RFC 3261 §17.1.2.2: → Terminated, the TU sees a timeout (408, §8.1.3.1).
    terminate();
    observer_.on_response(id_, ClientResponse{nullptr, 408});
  }
}

void ClientNonInviteTransaction::on_timer_k() {
  if (state_ == State::completed) {
    terminate(); // RFC 3261 §17.1.2.2: Completed → Terminated
  }
}

bool ClientNonInviteTransaction::send(std::string_view bytes) {
  if (context_.transport.send(destination_, bytes, reliable_, id_)) {
    return true;
  }
  on_transport_error();
  return false;
}

void ClientNonInviteTransaction::terminate() {
  state_ = State::terminated;
  timer_e_.cancel();
  timer_f_.cancel();
  timer_k_.cancel();
  observer_.on_terminated(id_);
}

} // namespace starling::sip
