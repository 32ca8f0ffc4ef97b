// The B2BUA's entry points: new calls, and requests matched to the call they belong to.
#include "pbx/call_control.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sip/identifiers.h"
#include "sip/message_queries.h"
#include "sip/response_builder.h"
#include "sip/uri.h"

namespace starling::pbx {
namespace {

// "1800;refresher=uac" -> 1800; nothing when absent or malformed.
std::optional<std::uint32_t> delta_seconds(std::string_view value) {
  value = value.substr(0, value.find(';'));
  while (!value.empty() && value.back() == ' ') {
    value.remove_suffix(1);
  }
  std::uint32_t seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error != std::errc{} || end != value.data() + value.size() || value.empty()) {
    return std::nullopt;
  }
  return seconds;
}

} // namespace

CallControl::CallControl(CallServices services, DialPlanSource dial_plan,
                         core::MetricsRegistry& metrics)
    : services_(services), dial_plan_(std::move(dial_plan)),
      calls_total_(metrics.counter("starling_calls_total", "Calls placed by devices")),
      calls_rejected_(metrics.counter("starling_calls_rejected_total",
                                      "Calls refused before ringing (unknown number, loop)")),
      calls_active_(metrics.gauge("starling_calls_active", "Calls ringing or connected")) {}

CallControl::~CallControl() {
  // Calls unregister their dialogs as they go; this map must still exist then.
  calls_.clear();
}

void CallControl::reject(sip::ServerTransactionHandle transaction,
                         const sip::IncomingRequest& request, std::uint16_t status,
                         std::string_view reason,
                         const std::vector<std::pair<std::string_view, std::string>>& headers) {
  calls_rejected_.increment();
  sip::ResponseBuilder response(request.message, status, reason, sip::new_tag());
  for (const auto& [name, value] : headers) {
    response.add_header(name, value);
  }
  (void)services_.signalling.respond(transaction, std::move(response).finish());
}

std::expected<std::optional<std::chrono::seconds>, std::chrono::seconds>
CallControl::session_interval(const sip::Message& invite) const {
  const auto& settings = services_.settings;
  const auto requested = delta_seconds(invite.value(sip::HeaderId::session_expires));
  if (requested && std::chrono::seconds(*requested) < settings.min_session_expires) {
    return std::unexpected(settings.min_session_expires);
  }
  // RFC 4028 §9: a caller without "timer" cannot refresh, so Starling would have to; it
  // runs no session timer for such callers (the 2xx then names none), as §9 allows.
  if (!sip::has_option_tag(invite, sip::HeaderId::supported, "timer")) {
    return std::nullopt;
  }
  if (requested) {
    // RFC 4028 §9: lowered to ours if longer, but never below the request's Min-SE.
    const std::chrono::seconds asked(*requested);
    const std::chrono::seconds floor(
        delta_seconds(invite.value(sip::HeaderId::min_se)).value_or(0));
    return std::clamp(settings.session_expires, std::min(floor, asked), asked);
  }
  // RFC 4028 §9: a UAS may start a session timer the caller supports but did not ask for.
  return settings.session_expires;
}

std::vector<CallTarget> CallControl::contacts_of(const UserTarget& user) const {
  std::vector<CallTarget> targets;
  for (const auto& device : user.devices) {
    for (auto& binding : services_.signalling.bindings_of(device)) {
      targets.push_back({device, std::move(binding)});
    }
  }
  return targets;
}

void CallControl::on_invite(sip::ServerTransactionHandle transaction,
                            const sip::IncomingRequest& request, std::string_view user) {
  // RFC 3261 §16.3 step 3: a request that has run out of hops is looping.
  if (request.parsed.max_forwards == 0) {
    reject(transaction, request, 483, "Too Many Hops");
    return;
  }
  const auto interval = session_interval(request.message);
  if (!interval) {
    reject(transaction, request, 422, "Session Interval Too Small",
           {{"Min-SE", fmt::format("{}", interval.error().count())}});
    return;
  }
  const std::string dialled = sip::unescape(request.parsed.request_uri.user);
  const auto plan = dial_plan_();
  const Target target = plan ? plan->route(dialled) : Target{NoTarget{}};
  const auto* callee = std::get_if<UserTarget>(&target);
  if (callee == nullptr) {
    spdlog::info("pbx: {} dialled {}: no such number", user, dialled);
    reject(transaction, request, 404, "Not Found");
    return;
  }
  calls_total_.increment();
  const std::uint64_t number = next_number_++;
  CallRegistry& registry = *this;
  auto call = std::make_shared<Call>(services_, registry, number, transaction, request,
                                     std::string(user), dialled);
  calls_.emplace(number, call);
  invites_.emplace(transaction.id, number);
  calls_active_.set(static_cast<std::int64_t>(calls_.size()));
  call->start(request, contacts_of(*callee), *interval);
}

Call* CallControl::find(const std::string& key, media::Side* side) {
  const auto dialog = dialogs_.find(key);
  if (dialog == dialogs_.end()) {
    return nullptr;
  }
  const auto call = calls_.find(dialog->second.call);
  if (call == calls_.end()) {
    return nullptr;
  }
  *side = dialog->second.side;
  return call->second.get();
}

void CallControl::on_dialog_request(sip::ServerTransactionHandle transaction,
                                    const sip::IncomingRequest& request) {
  media::Side side = media::Side::a;
  Call* call = find(dialog_key(request.parsed.call_id, request.parsed.to.tag()), &side);
  if (call == nullptr) {
    sip::ResponseBuilder response(request.message, 481, "Call/Transaction Does Not Exist", {});
    (void)services_.signalling.respond(transaction, std::move(response).finish());
    return;
  }
  call->on_dialog_request(side, transaction, request);
}

void CallControl::on_cancel(sip::ServerTransactionHandle invite) {
  const auto found = invites_.find(invite.id);
  if (found == invites_.end()) {
    return;
  }
  if (const auto call = calls_.find(found->second); call != calls_.end()) {
    call->second->on_cancel();
  }
}

void CallControl::on_ack(const sip::Message& ack, const sip::Destination& /*source*/) {
  const auto parsed = sip::validate_request(ack);
  if (!parsed) {
    return;
  }
  media::Side side = media::Side::a;
  if (Call* call = find(dialog_key(parsed->call_id, parsed->to.tag()), &side)) {
    call->on_ack(side, ack);
  }
}

void CallControl::hang_up_all() {
  for (const auto& [number, call] : calls_) {
    call->hang_up("server_stopped");
  }
}

bool CallControl::hang_up(std::string_view call_id) {
  // A scan, not an index: hang-ups come from an administrator now and then, and the calls
  // of one process are a few thousand at most.
  for (const auto& [number, call] : calls_) {
    if (call->id() == call_id && call->state() != CallState::ended) {
      call->hang_up("admin_hangup");
      return true;
    }
  }
  return false;
}

void CallControl::add_dialog(std::string key, std::uint64_t call, media::Side side) {
  dialogs_[std::move(key)] = {call, side};
}

void CallControl::remove_dialog(const std::string& key) {
  dialogs_.erase(key);
}

void CallControl::retire(std::uint64_t call) {
  // Called from the call's own timer: destroy it once that callback has returned.
  services_.timers.start(std::chrono::milliseconds(0), [this, call] {
    const auto found = calls_.find(call);
    if (found == calls_.end()) {
      return;
    }
    invites_.erase(found->second->invite().id);
    calls_.erase(found);
    calls_active_.set(static_cast<std::int64_t>(calls_.size()));
  });
}

} // namespace starling::pbx
