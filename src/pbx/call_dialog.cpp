// A call once it rings or is connected: CANCEL, BYE, re-INVITE and UPDATE (hold, resume,
// codec changes), PRACK, INFO and OPTIONS passed to the other side, session timers and
// dead media.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "pbx/call.h"
#include "sip/message_queries.h"
#include "sip/transport/flow.h"

namespace starling::pbx {
namespace {

media::Side other(media::Side side) {
  return side == media::Side::a ? media::Side::b : media::Side::a;
}

std::string_view side_name(media::Side side) {
  return side == media::Side::a ? "caller" : "callee";
}

} // namespace

void Call::on_cancel() {
  if (ended_ || winner_) {
    return; // RFC 3261 §9.2: a CANCEL after the final response has no effect
  }
  for (auto& fork : forks_) {
    send_cancel(fork);
  }
  fail_attempt({487, "Request Terminated"}, "cancelled", "caller");
}

void Call::on_ack(media::Side side, const sip::Message& ack) {
  if (side == media::Side::b) {
    callee_ok_.stop();
    return;
  }
  caller_ok_.stop();
  if (!callee_ack_waits_ || !b_) {
    return;
  }
  callee_ack_waits_ = false;
  std::string answer;
  if (sip::carries_sdp(ack)) {
    auto relayed = media_.relay(media::Side::a, ack.body(), caller_destination_.address,
                                services_.signalling.advertised_address(b_->destination));
    if (relayed) {
      answer = std::move(*relayed);
    }
  }
  b_->last_sdp = answer;
  services_.signalling.send_stateless(b_->destination, new_ack(*b_, b_->invite_cseq, answer));
}

void Call::on_dialog_request(media::Side side, sip::ServerTransactionHandle transaction,
                             const sip::IncomingRequest& request) {
  const sip::Method method = request.message.method();
  if (method == sip::Method::prack && side == media::Side::a) {
    on_prack(transaction, request);
    return;
  }
  // RFC 3261 §12: the remote tag is part of the dialog's id. Every fork shares our Call-ID
  // and From tag, so a device whose late answer was hung up matches only by its own tag.
  if (!has_leg(side) || ended_ || request.parsed.from.tag() != leg(side).dialog.remote_tag) {
    respond(transaction, 481, "Call/Transaction Does Not Exist");
    return;
  }
  if (!sip::accept_remote_cseq(leg(side).dialog, request.parsed.cseq.number)) {
    respond(transaction, 500, "Server Internal Error", {{"Retry-After", "1"}}); // §12.2.2
    return;
  }
  switch (method) {
  case sip::Method::bye:
    on_bye(side, transaction, request);
    return;
  case sip::Method::invite:
  case sip::Method::update:
    on_offer(side, transaction, request);
    return;
  case sip::Method::info:
  case sip::Method::options:
  case sip::Method::message:
    pass_through(side, transaction, request);
    return;
  default:
    respond(transaction, 501, "Not Implemented");
    return;
  }
}

void Call::on_bye(media::Side side, sip::ServerTransactionHandle transaction,
                  const sip::IncomingRequest& /*request*/) {
  respond(transaction, 200, "OK");
  send_bye(other(side));
  end("normal", side_name(side));
}

void Call::send_bye(media::Side side) {
  if (!has_leg(side)) {
    return;
  }
  auto& target = leg(side);
  (void)services_.signalling.send_request(new_request(target, "BYE"), target.destination,
                                          [](const sip::ClientResponse&) {});
}

void Call::hang_up(std::string_view cause) {
  if (ended_) {
    return;
  }
  if (!b_) {
    for (auto& fork : forks_) {
      send_cancel(fork);
    }
    fail_attempt({480, "Temporarily Unavailable"}, cause, "system");
    return;
  }
  send_bye(media::Side::a);
  send_bye(media::Side::b);
  end(cause, "system");
}

// A re-INVITE or UPDATE (RFC 3311): with an offer it goes to the other side, whose answer
// comes back; without one it only refreshes the session (RFC 4028) and is answered here
// with the SDP this leg already has.
void Call::on_offer(media::Side side, sip::ServerTransactionHandle transaction,
                    const sip::IncomingRequest& request) {
  const bool invite = request.message.method() == sip::Method::invite;
  if (pending_) {
    respond(transaction, 491, "Request Pending"); // RFC 3261 §14.2, RFC 3311 §5.2
    return;
  }
  sip::refresh_remote_target(leg(side).dialog, request.message);
  if (side == media::Side::a) {
    restart_session_timer();
  }
  if (!sip::carries_sdp(request.message)) {
    answer_with_sdp(side, transaction, invite ? std::string_view(leg(side).last_sdp) : "");
    return;
  }
  const media::Side to = other(side);
  auto relayed = media_.relay(side, request.message.body(), leg(side).destination.address,
                              services_.signalling.advertised_address(leg(to).destination));
  if (!relayed) {
    respond(transaction, 488, "Not Acceptable Here",
            {{"Warning", fmt::format("399 starling \"{}\"", relayed.error())}});
    return;
  }
  if (invite) {
    respond(transaction, 100, "Trying");
  }
  pending_ = PendingRequest{side, transaction, request.message.method()};
  auto& target = leg(to);
  target.last_sdp = *relayed;
  auto bytes = new_request(target, invite ? "INVITE" : "UPDATE", {}, *relayed);
  pending_cseq_ = target.dialog.local_cseq;
  const auto sent = services_.signalling.send_request(
      std::move(bytes), target.destination,
      [weak = weak_from_this(), to, cseq = pending_cseq_,
       invite](const sip::ClientResponse& response) {
        const auto call = weak.lock();
        if (!call) {
          return;
        }
        if (call->pending_ && call->pending_cseq_ == cseq) {
          call->on_offer_response(response);
        } else if (invite && response.status_code / 100 == 2 && call->has_leg(to)) {
          // A retransmitted 2xx: our ACK was lost (RFC 3261 §13.2.2.4).
          call->services_.signalling.send_stateless(call->leg(to).destination,
                                                    call->new_ack(call->leg(to), cseq));
        }
      });
  if (!sent) {
    pending_.reset();
    respond(transaction, 500, "Server Internal Error");
  }
}

void Call::on_offer_response(const sip::ClientResponse& response) {
  if (!pending_ || response.status_code < 200) {
    return;
  }
  const PendingRequest pending = *pending_;
  pending_.reset();
  const media::Side to = other(pending.from);
  if (ended_) {
    return;
  }
  if (response.status_code >= 300 || response.message == nullptr) {
    // RFC 3261 §14.1: a refused offer leaves the session as it was.
    media_.revert(pending.from);
    const std::string reason = response.message != nullptr
                                   ? std::string(response.message->status_line().reason)
                                   : std::string("Request Timeout");
    respond(pending.transaction, response.status_code, reason);
    return;
  }
  const auto& answer = *response.message;
  auto& target = leg(to);
  sip::refresh_remote_target(target.dialog, answer);
  if (pending.method == sip::Method::invite) {
    services_.signalling.send_stateless(target.destination, new_ack(target, pending_cseq_));
  }
  std::string sdp;
  if (sip::carries_sdp(answer)) {
    auto relayed =
        media_.relay(to, answer.body(), target.destination.address,
                     services_.signalling.advertised_address(leg(pending.from).destination));
    if (relayed) {
      sdp = std::move(*relayed);
    }
  }
  answer_with_sdp(pending.from, pending.transaction, sdp);
  const CallState now_state = media_.held() ? CallState::held : CallState::connected;
  if (now_state != state_) {
    spdlog::info("pbx: call {} {}", id_, now_state == CallState::held ? "held" : "resumed");
    set_state(now_state);
  }
}

void Call::answer_with_sdp(media::Side side, sip::ServerTransactionHandle transaction,
                           std::string_view sdp) {
  const auto* request = services_.signalling.request(transaction);
  if (request == nullptr) {
    return;
  }
  if (!sdp.empty()) {
    leg(side).last_sdp = sdp;
  }
  auto bytes = ok_response(*request, {}, side, sdp);
  (void)services_.signalling.respond(transaction, bytes);
  if (request->method() != sip::Method::invite) {
    return;
  }
  auto& retransmitter = side == media::Side::a ? caller_ok_ : callee_ok_;
  retransmitter.start(
      [this, transaction, bytes] { (void)services_.signalling.respond(transaction, bytes); }, [] {},
      sip::is_reliable(leg(side).destination), true);
}

void Call::on_prack(sip::ServerTransactionHandle transaction, const sip::IncomingRequest& request) {
  // RFC 3262 §4: a PRACK whose RAck names our last reliable provisional stops it.
  const auto rack = request.message.value(sip::HeaderId::rack);
  if (provisional_response_.empty() || !rack.starts_with(fmt::format("{} ", rseq_))) {
    respond(transaction, 481, "Call/Transaction Does Not Exist");
    return;
  }
  provisional_.stop();
  respond(transaction, 200, "OK");
}

// INFO (DTMF of phones that send it so), OPTIONS and MESSAGE go to the other phone; its
// final status comes back.
void Call::pass_through(media::Side side, sip::ServerTransactionHandle transaction,
                        const sip::IncomingRequest& request) {
  auto& target = leg(other(side));
  const auto& message = request.message;
  Headers headers;
  if (const auto* info_package = message.find("Info-Package")) {
    headers.emplace_back("Info-Package", std::string(info_package->value));
  }
  const auto type = message.value(sip::HeaderId::content_type);
  auto bytes = new_request(target, message.request_line().method, headers, message.body(),
                           type.empty() ? std::string_view("application/octet-stream") : type);
  const auto sent = services_.signalling.send_request(
      std::move(bytes), target.destination,
      [weak = weak_from_this(), transaction](const sip::ClientResponse& response) {
        const auto call = weak.lock();
        if (!call || response.status_code < 200) {
          return;
        }
        const std::string reason = response.message != nullptr
                                       ? std::string(response.message->status_line().reason)
                                       : std::string("Request Timeout");
        call->respond(transaction, response.status_code, reason);
      });
  if (!sent) {
    respond(transaction, 500, "Server Internal Error");
  }
}

std::string Call::session_expires() const {
  if (!session_interval_) {
    return {};
  }
  return fmt::format("{};refresher=uac", session_interval_->count());
}

// RFC 4028 §10: without a refresh, the side that does not refresh ends the session
// min(32, interval/3) seconds before it expires.
void Call::restart_session_timer() {
  if (!session_interval_ || !a_) {
    return;
  }
  const auto interval = *session_interval_;
  const auto margin = std::min(std::chrono::seconds(32), interval / 3);
  session_timer_.start(interval - margin, [this] {
    spdlog::info("pbx: call {}: the caller stopped refreshing the session", id_);
    send_bye(media::Side::a);
    send_bye(media::Side::b);
    end("session_expired", "system");
  });
}

void Call::check_media() {
  if (!media_.packets_arrived() && !media_.held()) {
    spdlog::info("pbx: call {}: no media from either phone for {} s, hanging up", id_,
                 services_.settings.media_timeout.count());
    send_bye(media::Side::a);
    send_bye(media::Side::b);
    end("media_timeout", "system");
    return;
  }
  media_timer_.start(services_.settings.media_timeout, [this] { check_media(); });
}

} // namespace starling::pbx
