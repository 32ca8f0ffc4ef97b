// RFC 3261 §17.1.1 INVITE client transaction, with RFC 6026 §8.4 Accepted state.
#include "sip/transaction/client_invite_transaction.h"

#include <iterator>
#include <utility>

#include <fmt/format.h>

#include "sip/comma_list.h"
#include "sip/limits.h"
#include "sip/parser.h"
#include "sip/scalars.h"

namespace starling::sip {

ClientInviteTransaction::ClientInviteTransaction(std::uint64_t id, TransactionContext& context,
                                                 ClientTransactionObserver& observer,
                                                 Destination destination, bool reliable,
                                                 std::string invite)
    : id_(id), context_(context), observer_(observer), destination_(std::move(destination)),
      reliable_(reliable), invite_(std::move(invite)), timer_a_(context.timers),
      timer_b_(context.timers), timer_d_(context.timers), timer_m_(context.timers) {}

void ClientInviteTransaction::start() {
  // RFC 3261 §17.1.1.2: send, Timer A on unreliable transports only, Timer B always.
  if (!send(invite_)) {
    return;
  }
  if (!reliable_) {
    timer_a_interval_ = initial_retransmit_interval(context_.settings);
    timer_a_.start(timer_a_interval_, [this] { on_timer_a(); });
  }
  timer_b_.start(timer_b(context_.settings), [this] { on_timer_b(); });
}

void ClientInviteTransaction::on_response(const Message& response) {
  const std::uint16_t status = response.status_code();
  if (status < 200) {
    on_provisional(response);
  } else if (status < 300) {
    on_2xx(response);
  } else {
    on_non_2xx_final(response);
  }
}

void ClientInviteTransaction::on_provisional(const Message& response) {
  if (state_ == State::calling) {
    // RFC 3261 §17.1.1.2: Calling → Proceeding; no more retransmissions.
    state_ = State::proceeding;
    timer_a_.cancel();
    timer_b_.cancel();
  }
  if (state_ == State::proceeding) {
    observer_.on_response(id_, ClientResponse{&response, response.status_code()});
  }
}

void ClientInviteTransaction::on_2xx(const Message& response) {
  if (state_ == State::calling || state_ == State::proceeding) {
    // RFC 6026 §8.4: Calling/Proceeding → Accepted, so that retransmitted 2xx (and 2xx
    // from other forks) still reach the TU, which sends their ACKs itself.
    state_ = State::accepted;
    timer_a_.cancel();
    timer_b_.cancel();
    timer_m_.start(timer_m(context_.settings), [this] { on_timer_m(); });
    observer_.on_response(id_, ClientResponse{&response, response.status_code()});
  } else if (state_ == State::accepted) {
    observer_.on_response(id_, ClientResponse{&response, response.status_code()});
  }
}

void ClientInviteTransaction::on_non_2xx_final(const Message& response) {
  if (state_ == State::completed) {
    // RFC 3261 §17.1.1.2: a retransmitted final response is answered with the same ACK
    // and not passed up.
    send(ack_);
    return;
  }
  if (state_ != State::calling && state_ != State::proceeding) {
    return;
  }
  // RFC 3261 §17.1.1.2: Calling/Proceeding → Completed; ACK, pass up, start Timer D.
  state_ = State::completed;
  timer_a_.cancel();
  timer_b_.cancel();
  ack_ = build_non_2xx_ack(invite_, response);
  if (!send(ack_)) {
    return;
  }
  observer_.on_response(id_, ClientResponse{&response, response.status_code()});
  if (state_ != State::completed) {
    return;
  }
  const auto wait = timer_d(context_.settings, reliable_);
  if (wait.count() == 0) {
    terminate();
  } else {
    timer_d_.start(wait, [this] { on_timer_d(); });
  }
}

void ClientInviteTransaction::on_transport_error() {
  // RFC 3261 §17.1.1.2 and §17.1.4: → Terminated. §8.1.3.1: the TU sees a 503, unless it
  // has its final response already (an ACK failed to go out in Completed).
  if (state_ == State::calling || state_ == State::proceeding || state_ == State::completed) {
    const bool inform = state_ != State::completed;
    terminate();
    if (inform) {
      observer_.on_response(id_, ClientResponse{nullptr, 503});
    }
  }
}

void ClientInviteTransaction::on_timer_a() {
  if (state_ != State::calling) {
    return;
  }
  // RFC 3261 §17.1.1.2: retransmit and double the interval.
  if (!send(invite_)) {
    return;
  }
  timer_a_interval_ = next_timer_a(timer_a_interval_);
  timer_a_.start(timer_a_interval_, [this] { on_timer_a(); });
}

void ClientInviteTransaction::on_timer_b() {
  if (state_ == State::calling) {
    // RFC 3261 §17.1.1.2: Calling → Terminated, the TU sees a timeout (408, §8.1.3.1).
    terminate();
    observer_.on_response(id_, ClientResponse{nullptr, 408});
  }
}

void ClientInviteTransaction::on_timer_d() {
  if (state_ == State::completed) {
    terminate(); // RFC 3261 §17.1.1.2: Completed → Terminated
  }
}

void ClientInviteTransaction::on_timer_m() {
  if (state_ == State::accepted) {
    terminate(); // RFC 6026 §8.4: Accepted → Terminated
  }
}

bool ClientInviteTransaction::send(std::string_view bytes) {
  if (context_.transport.send(destination_, bytes, reliable_, id_)) {
    return true;
  }
  on_transport_error();
  return false;
}

void ClientInviteTransaction::terminate() {
  state_ = State::terminated;
  timer_a_.cancel();
  timer_b_.cancel();
  timer_d_.cancel();
  timer_m_.cancel();
  observer_.on_terminated(id_);
}

std::string build_non_2xx_ack(std::string_view invite_bytes, const Message& response) {
  const auto invite = parse_message(invite_bytes);
  if (!invite) {
    return {};
  }
  const HeaderField* via = invite->find(HeaderId::via);
  const auto cseq = parse_cseq(invite->value(HeaderId::cseq));
  if (via == nullptr || !cseq) {
    return {};
  }
  std::string ack;
  auto out = std::back_inserter(ack);
  fmt::format_to(out, "ACK {} SIP/2.0\r\nVia: {}\r\n", invite->request_line().request_uri,
                 CommaList{via->value}.front());
  for (const HeaderField& header : invite->headers()) {
    if (header.id == HeaderId::route) {
      ack.append(header.raw); // RFC 3261 §17.1.1.3: the ACK follows the INVITE's route
    }
  }
  fmt::format_to(out, "From: {}\r\nTo: {}\r\nCall-ID: {}\r\nCSeq: {} ACK\r\n",
                 invite->value(HeaderId::from), response.value(HeaderId::to),
                 invite->value(HeaderId::call_id), cseq->number);
  fmt::format_to(out, "Max-Forwards: {}\r\nContent-Length: 0\r\n\r\n", kDefaultMaxForwards);
  return ack;
}

} // namespace starling::sip
