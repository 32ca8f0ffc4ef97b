// Call set-up: forking the caller's INVITE to the callee's contacts, relaying provisional
// responses, the first 2xx winning, CANCEL, and the end of the call with its records.
#include "pbx/call.h"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "media/codec_preference.h"
#include "sip/comma_list.h"
#include "sip/identifiers.h"
#include "sip/message_queries.h"
#include "sip/request_builder.h"
#include "sip/response_builder.h"
#include "sip/transport/flow.h"

namespace starling::pbx {
namespace {

// RFC 3261 §20.5: what Starling accepts within a call.
constexpr std::string_view kAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK";

// The Path a contact registered through becomes the Route of requests to it (RFC 3327 §5.3).
std::vector<std::string> routes_of(const store::Binding& binding) {
  std::vector<std::string> routes;
  for (const auto value : sip::CommaList(binding.path)) {
    if (!value.empty()) {
      routes.emplace_back(value);
    }
  }
  return routes;
}

} // namespace

std::string dialog_key(std::string_view call_id, std::string_view local_tag) {
  return fmt::format("{}\n{}", call_id, local_tag);
}

Call::Call(CallServices& services, CallRegistry& registry, std::uint64_t number,
           sip::ServerTransactionHandle invite, const sip::IncomingRequest& request,
           std::string caller, std::string callee)
    : services_(services), registry_(registry), number_(number), id_(sip::new_call_id()),
      caller_(std::move(caller)), callee_(std::move(callee)), invite_(invite),
      caller_destination_(request.source), caller_call_id_(request.parsed.call_id),
      caller_tag_(sip::new_tag()), offer_(request.message.body()),
      max_forwards_(request.parsed.max_forwards), callee_call_id_(sip::new_call_id()),
      callee_tag_(sip::new_tag()), callee_to_(sip::without_tag(request.parsed.to)),
      media_(services.relay), caller_ok_(services.timers, services.settings.timers),
      callee_ok_(services.timers, services.settings.timers),
      provisional_(services.timers, services.settings.timers), no_answer_timer_(services.timers),
      session_timer_(services.timers), media_timer_(services.timers),
      retire_timer_(services.timers) {
  // The caller's identity as the callee shows it, with a tag of Starling's.
  const std::string_view from = request.message.value(sip::HeaderId::from);
  callee_from_ = fmt::format("{};tag={}", from.substr(0, from.find(";tag=")), callee_tag_);
  caller_requires_100rel_ = sip::has_option_tag(request.message, sip::HeaderId::require, "100rel");
  caller_supports_timer_ = sip::has_option_tag(request.message, sip::HeaderId::supported, "timer");
  started_at_ = now();
  registry_.add_dialog(dialog_key(caller_call_id_, caller_tag_), number_, media::Side::a);
  registry_.add_dialog(dialog_key(callee_call_id_, callee_tag_), number_, media::Side::b);
}

Call::~Call() {
  registry_.remove_dialog(dialog_key(caller_call_id_, caller_tag_));
  registry_.remove_dialog(dialog_key(callee_call_id_, callee_tag_));
}

store::UnixTime Call::now() const {
  return core::unix_seconds(services_.clock.system_now());
}

void Call::start(const sip::IncomingRequest& request, std::vector<CallTarget> targets,
                 std::optional<std::chrono::seconds> session_interval) {
  session_interval_ = session_interval;
  respond(invite_, 100, "Trying");
  late_offer_ = !sip::carries_sdp(request.message);
  if (targets.empty()) {
    spdlog::info("pbx: call {} from {} to {}: no registered device", id_, caller_, callee_);
    fail_attempt({480, "Temporarily Unavailable"}, "unavailable", "callee");
    return;
  }
  for (auto& target : targets) {
    Fork fork;
    fork.leg = fmt::format("b{}", forks_.size() + 1);
    if (target.trunk) {
      fork.destination = target.trunk->destinations.front();
      fork.request_uri = target.trunk->request_uri;
      fork.from = fmt::format("{};tag={}", target.trunk->from, callee_tag_);
      fork.to = target.trunk->to;
      fork.auth.emplace(target.trunk->credentials);
    } else {
      fork.destination = services_.signalling.destination_of(target.binding);
      fork.request_uri = target.binding.contact;
      fork.route = routes_of(target.binding);
      fork.from = callee_from_;
      fork.to = callee_to_;
    }
    fork.target = std::move(target);
    forks_.push_back(std::move(fork));
  }
  spdlog::info("pbx: call {} from {} to {}: ringing {} contact(s)", id_, caller_, callee_,
               forks_.size());
  for (std::size_t index = 0; index < forks_.size() && !ended_; ++index) {
    // Trunks are tried one after the other: only the first goes now.
    if (forks_[index].target.trunk && index > 0) {
      break;
    }
    if (auto offer = offer_for(index)) {
      send_fork(index, *offer);
    }
  }
  if (ended_) {
    return; // no INVITE could be sent: the caller has had its final response
  }
  no_answer_timer_.start(services_.settings.no_answer_timeout, [this] {
    for (auto& fork : forks_) {
      send_cancel(fork);
    }
    fail_attempt({480, "Temporarily Unavailable"}, "no_answer", "system");
  });
  set_state(CallState::ringing);
}

sip::RequestBuilder Call::fork_request(const Fork& fork, std::string_view method) const {
  sip::RequestBuilder request(method, fork.request_uri);
  request.add_header("Via", fork.via);
  for (const auto& route : fork.route) {
    request.add_header("Route", route);
  }
  request.add_header("From", fork.from)
      .add_header("To", fork.to)
      .add_header("Call-ID", callee_call_id_)
      .add_header("CSeq", fmt::format("{} {}", fork.cseq, method));
  return request;
}

std::optional<std::string> Call::offer_for(std::size_t index) {
  if (late_offer_) {
    return std::string();
  }
  auto offer = media_.relay(media::Side::a, offer_, caller_destination_.address,
                            services_.signalling.advertised_address(forks_[index].destination));
  if (!offer) {
    spdlog::warn("pbx: call {}: cannot relay the caller's SDP: {}", id_, offer.error());
    fail_attempt({488, "Not Acceptable Here"}, "rejected", "system");
    return std::nullopt;
  }
  if (const auto& trunk = forks_[index].target.trunk; trunk && !trunk->codecs.empty()) {
    return media::prefer_codecs(*offer, trunk->codecs);
  }
  return std::move(*offer);
}

void Call::send_fork(std::size_t index, std::string_view offer) {
  auto& fork = forks_[index];
  if (!fork.started) {
    fork.started = true;
    fork.started_at = now();
  }
  fork.offer = offer;
  const auto& signalling = services_.signalling;
  fork.via = signalling.via(fork.destination, sip::new_branch());
  auto request = fork_request(fork, "INVITE");
  request.add_header("Max-Forwards", fmt::format("{}", max_forwards_ - 1))
      .add_header("Contact", signalling.contact(fork.destination))
      .add_header("Allow", kAllow);
  if (fork.target.trunk) {
    for (const auto& [name, value] : fork.target.trunk->headers) {
      request.add_header(name, value);
    }
  }
  if (fork.authorization) {
    request.add_header(fork.authorization->name(), fork.authorization->value);
  }
  auto bytes = std::move(request).finish(offer);
  const auto sent = services_.signalling.send_request(
      std::move(bytes), fork.destination,
      [weak = weak_from_this(), index](const sip::ClientResponse& response) {
        if (const auto call = weak.lock()) {
          call->on_fork_response(index, response);
        }
      });
  if (!sent) {
    on_fork_failure(index, 503, "Service Unavailable");
  }
}

void Call::on_fork_response(std::size_t index, const sip::ClientResponse& response) {
  auto& fork = forks_[index];
  const std::uint16_t status = response.status_code;
  if (status < 200) {
    fork.provisional = true;
    if (fork.cancel_wanted) {
      send_cancel(fork);
    } else if (response.message != nullptr && !ended_ && !winner_) {
      on_fork_provisional(index, *response.message);
    }
    return;
  }
  if (status < 300) {
    if (response.message == nullptr) {
      return;
    }
    if (winner_ == index && b_ && !callee_ack_waits_) {
      // A retransmitted 2xx: our ACK was lost (RFC 3261 §13.2.2.4).
      services_.signalling.send_stateless(fork.destination, new_ack(*b_, b_->invite_cseq));
      return;
    }
    if (winner_ || ended_) {
      ack_and_bye_late_answer(index, *response.message);
      return;
    }
    on_fork_answer(index, *response.message);
    return;
  }
  if (status == 401 || status == 407) {
    if (response.message != nullptr && answer_challenge(index, *response.message)) {
      return;
    }
    if (fork.target.trunk) {
      // The provider refused the trunk's credentials: for the caller a failure of the
      // network, not a challenge to answer; the trunk's other servers share the account.
      fork.next_destination = fork.target.trunk->destinations.size();
      on_fork_failure(index, 503, "Service Unavailable");
      return;
    }
  }
  on_fork_failure(index, status,
                  response.message != nullptr ? response.message->status_line().reason
                                              : std::string_view("Request Timeout"));
}

void Call::on_fork_provisional(std::size_t index, const sip::Message& response) {
  const std::uint16_t status = response.status_code();
  if (status == 100) {
    return;
  }
  std::string sdp;
  if (sip::carries_sdp(response) && !late_offer_) {
    // Early media (RFC 3960): the callee's answer, so the caller hears its ring-back.
    auto relayed = media_.relay(media::Side::b, response.body(), forks_[index].destination.address,
                                services_.signalling.advertised_address(caller_destination_));
    if (relayed) {
      sdp = std::move(*relayed);
    }
  }
  if (!sdp.empty() || !ringing_sent_) {
    ringing_sent_ = true;
    send_provisional_to_caller(sdp.empty() ? 180 : 183,
                               sdp.empty() ? "Ringing" : "Session Progress", sdp);
  }
}

void Call::send_provisional_to_caller(std::uint16_t status, std::string_view reason,
                                      std::string_view sdp) {
  const auto* invite = services_.signalling.request(invite_);
  if (invite == nullptr) {
    return;
  }
  sip::ResponseBuilder response(*invite, status, reason, caller_tag_);
  response.copy_record_route(*invite).add_header("Contact",
                                                 services_.signalling.contact(caller_destination_));
  if (caller_requires_100rel_) {
    // RFC 3262 §3: the caller demands reliable provisionals.
    response.add_header("Require", "100rel").add_header("RSeq", fmt::format("{}", ++rseq_));
  }
  if (!sdp.empty()) {
    response.add_header("Content-Type", "application/sdp");
  }
  auto bytes = std::move(response).finish(sdp);
  (void)services_.signalling.respond(invite_, bytes);
  if (caller_requires_100rel_) {
    provisional_response_ = std::move(bytes);
    provisional_.start(
        [this] { (void)services_.signalling.respond(invite_, provisional_response_); }, [] {},
        sip::is_reliable(caller_destination_), false);
  }
}

void Call::on_fork_answer(std::size_t index, const sip::Message& response) {
  auto& fork = forks_[index];
  const auto parsed = sip::validate_response(response);
  auto dialog = parsed ? sip::dialog_as_uac(response, *parsed, fork.cseq) : std::nullopt;
  if (!dialog) {
    on_fork_failure(index, 502, "Bad Gateway");
    return;
  }
  winner_ = index;
  fork.done = true;
  no_answer_timer_.cancel();
  b_ = Leg{std::move(*dialog), fork.destination, fork.offer, fork.cseq};
  callee_ack_waits_ = late_offer_;
  if (!callee_ack_waits_) {
    services_.signalling.send_stateless(fork.destination, new_ack(*b_, b_->invite_cseq));
  }
  cancel_other_forks(index);

  std::string sdp;
  if (sip::carries_sdp(response)) {
    auto relayed = media_.relay(media::Side::b, response.body(), fork.destination.address,
                                services_.signalling.advertised_address(caller_destination_));
    if (!relayed) {
      spdlog::warn("pbx: call {}: cannot relay the callee's SDP: {}", id_, relayed.error());
      send_bye(media::Side::b);
      fail_attempt({488, "Not Acceptable Here"}, "rejected", "callee");
      return;
    }
    sdp = std::move(*relayed);
  }
  answered_at_ = now();
  spdlog::info("pbx: call {} from {} to {}: answered by {}", id_, caller_, callee_,
               fork.target.device);
  answer_caller(sdp);
}

void Call::answer_caller(std::string_view sdp) {
  const auto* invite = services_.signalling.request(invite_);
  const auto parsed =
      invite != nullptr ? sip::validate_request(*invite) : std::unexpected(sip::ParseError{});
  if (!parsed) {
    // The caller's transaction is gone (it cancelled in the same instant).
    send_bye(media::Side::b);
    end("cancelled", "caller");
    return;
  }
  provisional_.stop();
  a_ =
      Leg{sip::dialog_as_uas(*invite, *parsed, caller_tag_), caller_destination_, std::string(sdp)};
  auto bytes = ok_response(*invite, caller_tag_, media::Side::a, sdp);
  (void)services_.signalling.respond(invite_, bytes);
  caller_ok_.start([this, bytes] { (void)services_.signalling.respond(invite_, bytes); },
                   [this] {
                     // RFC 3261 §13.3.1.4: no ACK within 64*T1 ends the dialog.
                     spdlog::info("pbx: call {}: the caller never acknowledged the answer", id_);
                     send_bye(media::Side::a);
                     send_bye(media::Side::b);
                     end("timeout", "caller");
                   },
                   sip::is_reliable(caller_destination_), true);
  restart_session_timer();
  media_timer_.start(services_.settings.media_timeout, [this] { check_media(); });
  set_state(CallState::connected);
}

void Call::on_fork_failure(std::size_t index, std::uint16_t status, std::string_view reason) {
  auto& fork = forks_[index];
  fork.done = true;
  fork.final_code = status;
  fork.final_reason = reason;
  if (winner_ || ended_) {
    maybe_retire();
    return;
  }
  if (fork.target.trunk && fail_over(index, status)) {
    return;
  }
  if (status >= 600) {
    // RFC 3261 §16.7 step 5: a global failure (the callee declined everywhere) stops the
    // other devices ringing.
    for (auto& other : forks_) {
      send_cancel(other);
    }
    fail_attempt({status, fork.final_reason}, cause_of(status), "callee");
    return;
  }
  // Trunks not tried after this one's failure are not waited for.
  if (!std::ranges::all_of(forks_, [](const Fork& each) { return each.done || !each.started; })) {
    return;
  }
  std::vector<FinalStatus> answers;
  answers.reserve(forks_.size());
  for (const auto& each : forks_) {
    if (each.started) {
      answers.push_back({each.final_code, each.final_reason});
    }
  }
  const auto best = best_final_status(answers);
  fail_attempt(best, cause_of(best.code), "callee");
}

bool Call::answer_challenge(std::size_t index, const sip::Message& response) {
  auto& fork = forks_[index];
  if (!fork.auth || ended_ || winner_) {
    return false;
  }
  auto header = sip::answer_challenge(*fork.auth, response, "INVITE", fork.request_uri);
  // A second challenge means the password is wrong, unless only the nonce went stale.
  const bool stale = fork.auth->challenge() && fork.auth->challenge()->stale;
  if (!header || (fork.challenges > 0 && !stale) || fork.challenges > 2) {
    spdlog::warn("pbx: call {}: trunk {} refused our credentials{}", id_, fork.target.device,
                 header ? "" : fmt::format(" ({})", header.error().reason));
    return false;
  }
  ++fork.challenges;
  fork.authorization = std::move(*header);
  ++fork.cseq;
  fork.provisional = false;
  send_fork(index, fork.offer);
  return true;
}

bool Call::fail_over(std::size_t index, std::uint16_t status) {
  if (winner_ || ended_) {
    return false;
  }
  auto& fork = forks_[index];
  const auto& destinations = fork.target.trunk->destinations;
  // RFC 3263 §4.3: a server that did not answer or is overloaded is replaced by the next.
  if ((status == 408 || status == 503) && fork.next_destination < destinations.size()) {
    spdlog::info("pbx: call {}: trunk {} server {}:{} failed ({}), trying the next", id_,
                 fork.target.device, fork.destination.address, fork.destination.port, status);
    fork.destination = destinations[fork.next_destination++];
    fork.done = false;
    fork.provisional = false;
    ++fork.cseq;
    if (auto offer = offer_for(index)) {
      send_fork(index, *offer);
    }
    return true;
  }
  // A provider's own failures move the call to the next trunk; the callee's answers
  // (busy, not found, declined) are final wherever the call goes.
  if (status != 408 && (status < 500 || status >= 600)) {
    return false;
  }
  const std::size_t next = index + 1;
  if (next >= forks_.size() || forks_[next].started) {
    return false;
  }
  spdlog::info("pbx: call {}: trunk {} failed ({}), trying trunk {}", id_, fork.target.device,
               status, forks_[next].target.device);
  if (auto offer = offer_for(next)) {
    send_fork(next, *offer);
  }
  return true;
}

void Call::send_cancel(Fork& fork) {
  if (fork.done || !fork.started) {
    return;
  }
  if (!fork.provisional) {
    // RFC 3261 §9.1: no CANCEL before a provisional response; send it when one comes.
    fork.cancel_wanted = true;
    return;
  }
  fork.cancel_wanted = false;
  auto cancel = fork_request(fork, "CANCEL");
  cancel.add_header("Max-Forwards", "70");
  (void)services_.signalling.send_request(std::move(cancel).finish(), fork.destination,
                                          [](const sip::ClientResponse&) {});
}

void Call::cancel_other_forks(std::size_t winner) {
  for (std::size_t index = 0; index < forks_.size(); ++index) {
    if (index != winner) {
      send_cancel(forks_[index]);
    }
  }
}

void Call::ack_and_bye_late_answer(std::size_t index, const sip::Message& response) {
  // RFC 3261 §13.2.2.4: every 2xx is ACKed; one that came too late is then ended.
  const auto parsed = sip::validate_response(response);
  const std::uint32_t cseq = forks_[index].cseq;
  auto dialog = parsed ? sip::dialog_as_uac(response, *parsed, cseq) : std::nullopt;
  forks_[index].done = true;
  if (dialog) {
    Leg late{std::move(*dialog), forks_[index].destination, {}, cseq};
    services_.signalling.send_stateless(late.destination, new_ack(late, cseq));
    (void)services_.signalling.send_request(new_request(late, "BYE"), late.destination,
                                            [](const sip::ClientResponse&) {});
  }
  maybe_retire();
}

void Call::fail_attempt(FinalStatus status, std::string_view cause, std::string_view side) {
  if (ended_) {
    return;
  }
  no_answer_timer_.cancel();
  provisional_.stop();
  spdlog::info("pbx: call {} from {} to {}: {} {}", id_, caller_, callee_, status.code,
               status.reason);
  respond(invite_, status.code, status.reason);
  end(cause, side);
}

void Call::end(std::string_view cause, std::string_view side) {
  if (ended_) {
    return;
  }
  ended_ = true;
  ended_at_ = now();
  hangup_cause_ = cause;
  hangup_side_ = side;
  no_answer_timer_.cancel();
  session_timer_.cancel();
  media_timer_.cancel();
  provisional_.stop();
  media_.close();
  if (answered_at_ != 0) {
    spdlog::info("pbx: call {} from {} to {} ended: {} by {}", id_, caller_, callee_, cause, side);
  }
  set_state(CallState::ended);
  maybe_retire();
}

void Call::maybe_retire() {
  if (!ended_ || !std::ranges::all_of(
                     forks_, [](const Fork& fork) { return fork.done || !fork.provisional; })) {
    return;
  }
  // Keep the call a little for retransmitted BYEs and answers, then let it go.
  retire_timer_.start(sip::timeout_64_t1(services_.settings.timers) / 16,
                      [this] { registry_.retire(number_); });
}

void Call::set_state(CallState state) {
  state_ = state;
  record_legs();
  CallStateEvent event{id_, caller_, callee_, {}, state, hangup_cause_, hangup_side_};
  if (winner_) {
    event.device = forks_[*winner_].target.device;
  }
  services_.events.publish(event);
}

void Call::record_legs() {
  const std::string state(to_string(state_));
  store::CallLeg a{id_,
                   "a",
                   caller_,
                   callee_,
                   caller_,
                   started_at_,
                   answered_at_,
                   ended_at_,
                   state,
                   ended_ ? hangup_cause_ : "",
                   ended_ ? hangup_side_ : ""};
  services_.recorder.record(std::move(a));
  for (std::size_t index = 0; index < forks_.size(); ++index) {
    const auto& fork = forks_[index];
    if (!fork.started) {
      continue; // a trunk never tried has no leg
    }
    const bool won = winner_ == index;
    const bool fork_over = ended_ || (fork.done && !won) || (winner_ && !won);
    std::string fork_state = won ? state : (fork_over ? "ended" : "ringing");
    std::string cause;
    std::string side;
    if (fork_over && won) {
      cause = hangup_cause_;
      side = hangup_side_;
    } else if (fork_over) {
      // A device that refused before another answered keeps its own cause.
      const bool answered_elsewhere = winner_.has_value() && fork.final_code == 0;
      cause = answered_elsewhere
                  ? "answered_elsewhere"
                  : (fork.final_code != 0 ? std::string(cause_of(fork.final_code)) : hangup_cause_);
      side = answered_elsewhere ? "system" : (fork.final_code != 0 ? "callee" : hangup_side_);
    }
    services_.recorder.record({id_, fork.leg, caller_, callee_, fork.target.device, fork.started_at,
                               won ? answered_at_ : 0,
                               fork_over ? (ended_at_ != 0 ? ended_at_ : now()) : 0,
                               std::move(fork_state), std::move(cause), std::move(side)});
  }
}

void Call::respond(sip::ServerTransactionHandle transaction, std::uint16_t status,
                   std::string_view reason, const Headers& headers, std::string_view body) {
  const auto* request = services_.signalling.request(transaction);
  if (request == nullptr) {
    return;
  }
  sip::ResponseBuilder response(*request, status, reason, caller_tag_);
  for (const auto& [name, value] : headers) {
    response.add_header(name, value);
  }
  if (!body.empty()) {
    response.add_header("Content-Type", "application/sdp");
  }
  (void)services_.signalling.respond(transaction, std::move(response).finish(body));
}

std::string Call::new_request(Leg& leg, std::string_view method, const Headers& headers,
                              std::string_view body, std::string_view content_type) const {
  auto request = sip::dialog_request(leg.dialog, method);
  request.add_header("Via", services_.signalling.via(leg.destination, sip::new_branch()))
      .add_header("Max-Forwards", "70");
  if (method == "INVITE" || method == "UPDATE") {
    request.add_header("Contact", services_.signalling.contact(leg.destination));
  }
  for (const auto& [name, value] : headers) {
    request.add_header(name, value);
  }
  return std::move(request).finish(body, content_type);
}

std::string Call::ok_response(const sip::Message& request, std::string_view to_tag,
                              media::Side side, std::string_view sdp) const {
  sip::ResponseBuilder response(request, 200, "OK", to_tag);
  const auto& destination = side == media::Side::a ? caller_destination_ : b_->destination;
  response.copy_record_route(request)
      .add_header("Contact", services_.signalling.contact(destination))
      .add_header("Allow", kAllow);
  // RFC 4028 §9: every 2xx to the caller's INVITE or UPDATE names the session interval.
  if (const auto timer = session_expires(); side == media::Side::a && !timer.empty()) {
    response.add_header("Session-Expires", timer);
    if (caller_supports_timer_) {
      response.add_header("Require", "timer");
    }
  }
  if (!sdp.empty()) {
    response.add_header("Content-Type", "application/sdp");
  }
  return std::move(response).finish(sdp);
}

std::string Call::new_ack(const Leg& leg, std::uint32_t cseq, std::string_view sdp) const {
  auto request = sip::dialog_ack(leg.dialog, cseq);
  request.add_header("Via", services_.signalling.via(leg.destination, sip::new_branch()))
      .add_header("Max-Forwards", "70");
  return std::move(request).finish(sdp);
}

} // namespace starling::pbx
