// The B2BUA's entry points: new calls, and requests matched to the call they belong to.
#include "pbx/call_control.h"

#include <algorithm>
#include <charconv>

#include <boost/asio/ip/address.hpp>
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

CallControl::CallControl(CallServices services, DialPlanSource dial_plan, TrunkGateway& trunks,
                         const DoNotDisturb& do_not_disturb, core::MetricsRegistry& metrics)
    : services_(services), dial_plan_(std::move(dial_plan)), trunks_(trunks),
      do_not_disturb_(do_not_disturb),
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
      targets.push_back({device, std::move(binding), std::nullopt});
    }
  }
  return targets;
}

std::optional<std::optional<std::chrono::seconds>>
CallControl::admit(sip::ServerTransactionHandle transaction, const sip::IncomingRequest& request) {
  // RFC 3261 §16.3 step 3: a request that has run out of hops is looping.
  if (request.parsed.max_forwards == 0) {
    reject(transaction, request, 483, "Too Many Hops");
    return std::nullopt;
  }
  const auto interval = session_interval(request.message);
  if (!interval) {
    reject(transaction, request, 422, "Session Interval Too Small",
           {{"Min-SE", fmt::format("{}", interval.error().count())}});
    return std::nullopt;
  }
  return *interval;
}

void CallControl::on_invite(sip::ServerTransactionHandle transaction,
                            const sip::IncomingRequest& request, std::string_view user) {
  const auto interval = admit(transaction, request);
  if (!interval) {
    return;
  }
  const std::string dialled = sip::unescape(request.parsed.request_uri.user);
  const auto plan = dial_plan_();
  const Target target = plan ? plan->route_from_device(user, dialled) : Target{NoTarget{}};
  if (const auto* callee = std::get_if<UserTarget>(&target)) {
    ring(transaction, request, std::string(user), dialled, *callee, *interval, {});
  } else if (const auto* trunk = std::get_if<TrunkTarget>(&target)) {
    spdlog::info("pbx: {} dialled {}: {} call by route '{}'", user, dialled,
                 to_string(trunk->call_class), trunk->rule);
    place_outbound(transaction, request, std::string(user), *trunk, *interval);
  } else if (const auto* refused = std::get_if<RefusedTarget>(&target)) {
    spdlog::info("pbx: {} dialled {}: refused with {}: {}", user, dialled, refused->status,
                 refused->reason);
    reject(transaction, request, refused->status,
           refused->status == 403 ? "Forbidden"
                                  : (refused->status == 484 ? "Address Incomplete" : "Not Found"));
  } else {
    spdlog::info("pbx: {} dialled {}: no such number", user, dialled);
    reject(transaction, request, 404, "Not Found");
  }
}

std::optional<std::string> CallControl::trunk_of(const sip::IncomingRequest& request) {
  if (const auto plan = dial_plan_()) {
    boost::system::error_code error;
    const auto address = boost::asio::ip::make_address(request.source.address, error);
    if (!error) {
      if (auto trunk = plan->trunks().trunk_at(address, request.source.port)) {
        return trunk;
      }
    }
  }
  return trunks_.registered_trunk_at(request.source);
}

void CallControl::on_trunk_invite(sip::ServerTransactionHandle transaction,
                                  const sip::IncomingRequest& request, std::string_view trunk) {
  const auto interval = admit(transaction, request);
  const auto plan = dial_plan_();
  const store::Trunk* settings = plan ? plan->trunks().trunk(trunk) : nullptr;
  if (!interval || settings == nullptr) {
    if (interval) {
      reject(transaction, request, 404, "Not Found");
    }
    return;
  }
  if (settings->channels != 0 && calls_on(trunk) >= settings->channels) {
    spdlog::info("pbx: trunk {}: call refused, all {} channels busy", trunk, settings->channels);
    reject(transaction, request, 503, "Service Unavailable", {{"Retry-After", "5"}});
    return;
  }
  // Providers address a registered account at the Contact it registered, whose user is the
  // account; the number called is then in To.
  std::string called = sip::unescape(request.parsed.request_uri.user);
  if (called.empty() || called == settings->username) {
    called = sip::unescape(request.parsed.to.uri.user);
  }
  const std::string caller = sip::unescape(request.parsed.from.uri.user);
  const Target target = plan->route_from_trunk(trunk, called);
  const auto* callee = std::get_if<UserTarget>(&target);
  if (callee == nullptr) {
    spdlog::info("pbx: trunk {}: call from {} to {}: no such number", trunk, caller, called);
    reject(transaction, request, 404, "Not Found");
    return;
  }
  spdlog::info("pbx: trunk {}: call from {} to {} rings {}", trunk, caller, called, callee->user);
  ring(transaction, request, caller, called, *callee, *interval, std::string(trunk));
}

void CallControl::ring(sip::ServerTransactionHandle transaction,
                       const sip::IncomingRequest& request, std::string caller, std::string dialled,
                       const UserTarget& callee,
                       std::optional<std::chrono::seconds> session_interval, std::string trunk) {
  if (do_not_disturb_.is_set(callee.user)) {
    spdlog::info("pbx: call from {} to {}: {} set do not disturb, answered busy", caller, dialled,
                 callee.user);
    reject(transaction, request, 486, "Busy Here");
    return;
  }
  place(transaction, request, std::move(caller), std::move(dialled), contacts_of(callee),
        session_interval, std::move(trunk));
}

void CallControl::place(sip::ServerTransactionHandle transaction,
                        const sip::IncomingRequest& request, std::string caller, std::string callee,
                        std::vector<CallTarget> targets,
                        std::optional<std::chrono::seconds> session_interval, std::string trunk) {
  calls_total_.increment();
  const std::uint64_t number = next_number_++;
  CallRegistry& registry = *this;
  auto call = std::make_shared<Call>(services_, registry, number, transaction, request,
                                     std::move(caller), std::move(callee));
  calls_.emplace(number, call);
  invites_.emplace(transaction.id, number);
  if (!trunk.empty()) {
    call_trunks_.emplace(number, std::move(trunk));
  }
  calls_active_.set(static_cast<std::int64_t>(calls_.size()));
  call->start(request, std::move(targets), session_interval);
}

TrunkRoute CallControl::trunk_route(const store::Trunk& trunk, std::string_view device,
                                    const TrunkTarget& target) const {
  const auto plan = dial_plan_();
  const std::string parameters =
      trunk.transport == "udp" ? std::string() : fmt::format(";transport={}", trunk.transport);
  const std::string& account = trunk.from_user.empty() ? trunk.username : trunk.from_user;
  TrunkRoute route;
  route.trunk = trunk.name;
  route.request_uri = fmt::format("sip:{}@{}{}", target.number, trunk.domain, parameters);
  route.to = fmt::format("<sip:{}@{}>", target.number, trunk.domain);
  const std::string number = plan ? plan->caller_number(device, trunk) : std::string();
  std::string caller_id = number.empty() ? account : plan->trunks().caller_id(trunk, number);
  if (caller_id.empty()) {
    caller_id = "anonymous"; // RFC 3323 §4.1.1.3: no number of ours to show
  }
  // RFC 3325: the caller's own number goes in P-Asserted-Identity (or -Preferred-) and the
  // account in From, which providers check against the credentials; without either header,
  // or without an account (IP trunks), the number takes From's place.
  if (trunk.identity == "none" || account.empty()) {
    route.from = fmt::format("<sip:{}@{}>", caller_id, trunk.domain);
  }
  if (trunk.identity != "none") {
    if (!account.empty()) {
      route.from = fmt::format("<sip:{}@{}>", account, trunk.domain);
    }
    route.headers.emplace_back(trunk.identity == "ppi" ? "P-Preferred-Identity"
                                                       : "P-Asserted-Identity",
                               fmt::format("<sip:{}@{}>", caller_id, trunk.domain));
  }
  route.credentials = {
      trunk.auth_username.empty() ? trunk.username : trunk.auth_username, trunk.password, {}};
  return route;
}

struct CallControl::Locating {
  sip::ServerTransactionHandle transaction;
  sip::Destination caller;
  bool reliable = false;
  std::string device;
  std::string callee;
  std::optional<std::chrono::seconds> session_interval;
  std::shared_ptr<const DialPlan> plan; // keeps `trunks` alive while DNS answers
  std::vector<const store::Trunk*> trunks;
  std::vector<TrunkRoute> routes;
};

void CallControl::place_outbound(sip::ServerTransactionHandle transaction,
                                 const sip::IncomingRequest& request, std::string device,
                                 const TrunkTarget& target,
                                 std::optional<std::chrono::seconds> session_interval) {
  auto locating = std::make_shared<Locating>(Locating{transaction,
                                                      request.source,
                                                      request.reliable,
                                                      std::move(device),
                                                      target.number,
                                                      session_interval,
                                                      dial_plan_(),
                                                      {},
                                                      {}});
  for (const auto& name : target.trunks) {
    const store::Trunk* trunk = locating->plan ? locating->plan->trunks().trunk(name) : nullptr;
    if (trunk == nullptr) {
      spdlog::warn("pbx: outbound route '{}' names trunk '{}', which does not exist or is "
                   "disabled",
                   target.rule, name);
    } else if (trunk->channels != 0 && calls_on(name) >= trunk->channels) {
      spdlog::info("pbx: trunk {}: all {} channels busy, skipped", name, trunk->channels);
    } else {
      locating->trunks.push_back(trunk);
      locating->routes.push_back(trunk_route(*trunk, locating->device, target));
      // RFC 3323/3325: a caller who asked for privacy keeps it on the public network.
      if (const auto privacy = request.message.value(sip::HeaderId::privacy); !privacy.empty()) {
        locating->routes.back().headers.emplace_back("Privacy", std::string(privacy));
      }
    }
  }
  if (locating->trunks.empty()) {
    reject(transaction, request, 503, "Service Unavailable");
    return;
  }
  locating_[transaction.id] = false;
  locate_trunks(locating, 0);
}

void CallControl::locate_trunks(const std::shared_ptr<Locating>& locating, std::size_t index) {
  // Each trunk's servers are located in turn; the call starts once all are known (DNS
  // answers come from the cache but for the first call after their TTL).
  if (index < locating->trunks.size()) {
    const store::Trunk& trunk = *locating->trunks[index];
    trunks_.locate(trunk, [this, locating, index](std::vector<sip::Destination> destinations) {
      locating->routes[index].destinations = std::move(destinations);
      locate_trunks(locating, index + 1);
    });
    return;
  }
  const auto transaction = locating->transaction;
  const bool cancelled = locating_[transaction.id];
  locating_.erase(transaction.id);
  const sip::Message* invite = services_.signalling.request(transaction);
  const auto parsed =
      invite != nullptr ? sip::validate_request(*invite) : std::unexpected(sip::ParseError{});
  if (!parsed) {
    return; // the caller's transaction is gone
  }
  const sip::IncomingRequest request{*invite, *parsed,     locating->caller, locating->reliable,
                                     false,   std::nullopt};
  if (cancelled) {
    reject(transaction, request, 487, "Request Terminated");
    return;
  }
  std::vector<CallTarget> targets;
  for (auto& route : locating->routes) {
    if (route.destinations.empty()) {
      spdlog::warn("pbx: trunk {}: no server found for its domain", route.trunk);
      continue;
    }
    std::string name = route.trunk;
    targets.push_back({std::move(name), {}, std::move(route)});
  }
  if (targets.empty()) {
    reject(transaction, request, 503, "Service Unavailable");
    return;
  }
  std::string first = targets.front().device;
  place(transaction, request, std::move(locating->device), std::move(locating->callee),
        std::move(targets), locating->session_interval, std::move(first));
}

std::size_t CallControl::calls_on(std::string_view trunk) const {
  return static_cast<std::size_t>(std::ranges::count_if(call_trunks_, [&](const auto& entry) {
    const auto call = calls_.find(entry.first);
    return entry.second == trunk && call != calls_.end() &&
           call->second->state() != CallState::ended;
  }));
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
  if (const auto locating = locating_.find(invite.id); locating != locating_.end()) {
    locating->second = true;
    return;
  }
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
    call_trunks_.erase(call);
    calls_.erase(found);
    calls_active_.set(static_cast<std::int64_t>(calls_.size()));
  });
}

} // namespace starling::pbx
