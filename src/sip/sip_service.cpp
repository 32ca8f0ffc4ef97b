// The SIP service of `starling serve`: transports, transactions, digest authentication, the
// ban list and the registrar, wired together on one signalling io_context.
#include "sip/sip_service.h"

#include <algorithm>
#include <array>

#include <boost/asio/ip/udp.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sip/comma_list.h"
#include "sip/error_response.h"
#include "sip/host.h"
#include "sip/identifiers.h"
#include "sip/message_edit.h"
#include "sip/parser.h"
#include "sip/response_builder.h"
#include "sip/transaction/timer_settings.h"
#include "sip/transaction/transaction_key.h"

namespace starling::sip {
namespace {

// RFC 3261 §20.5 and §20.37: what this server answers to OPTIONS and 405/501.
constexpr std::string_view kAllow =
    "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK, REGISTER";
// Path (RFC 3327), reliable provisionals (RFC 3262) and session timers (RFC 4028).
constexpr std::array<std::string_view, 3> kSupportedTags = {"path", "100rel", "timer"};
constexpr std::string_view kSupported = "path, 100rel, timer";

TransportKind transport_named(std::string_view name) {
  if (name == "tls") {
    return TransportKind::tls;
  }
  return name == "tcp" ? TransportKind::tcp : TransportKind::udp;
}

bool is_wildcard(const std::string& address) {
  return address.empty() || address == "::" || address == "0.0.0.0";
}

Destination destination_from(const Flow& flow) {
  return {flow_number(flow.transport, flow.connection_id), flow.remote_address.to_string(),
          flow.remote_port, flow.server_name};
}

Flow flow_of(const Destination& destination) {
  Flow flow;
  flow.transport = transport_of(destination);
  flow.connection_id = connection_of(destination);
  boost::system::error_code error;
  flow.remote_address = boost::asio::ip::make_address(destination.address, error);
  flow.remote_port = destination.port;
  flow.server_name = destination.server_name;
  return flow;
}

// RFC 3261 §8.2.2.3: option tags in Require that this server does not support.
std::string unsupported_requirements(const Message& request) {
  std::string unsupported;
  for (const auto& header : request.headers()) {
    if (header.id != HeaderId::require) {
      continue;
    }
    for (const auto tag : CommaList(header.value)) {
      if (std::ranges::find(kSupportedTags, tag) == kSupportedTags.end()) {
        unsupported += (unsupported.empty() ? "" : ", ") + std::string(tag);
      }
    }
  }
  return unsupported;
}

DigestAuthOptions auth_options(const SipServiceSettings& settings) {
  DigestAuthOptions options;
  options.nonce_lifetime = settings.nonce_lifetime;
  options.offered_algorithms = settings.digest_algorithms;
  return options;
}

TransactionLayerSettings transaction_settings(const SipServiceSettings& settings) {
  TransactionLayerSettings layer;
  layer.timers = settings.timers;
  return layer;
}

} // namespace

SipService::SipService(boost::asio::io_context& io, const SipServiceSettings& settings,
                       TlsContexts tls, const core::Clock& clock, core::MetricsRegistry& metrics,
                       core::EventBus& events, const CredentialStore& credentials,
                       BindingPersistence& persistence, const net::AddressPolicy& addresses)
    : realm_(settings.realm), io_(io), addresses_(addresses),
      configured_address_(is_wildcard(settings.transport.address) ? std::string()
                                                                  : settings.transport.address),
      transport_(io, settings.transport, metrics, clock, tls), timers_(io),
      transactions_(timers_, *this, *this, metrics, transaction_settings(settings)), clock_(clock),
      authenticator_(clock, credentials, auth_options(settings)),
      // As long as a client retransmits a request: Timer F (RFC 3261 §17.1.2.2).
      recent_answers_(timeout_64_t1(settings.timers)), bans_(clock, metrics, "sip", settings.bans),
      registrar_(settings.registrar, clock, events, persistence), expiry_timer_(io),
      requests_rejected_(metrics.counter("starling_sip_requests_rejected_total",
                                         "Requests answered 4xx/5xx before any handler")) {
  transport_.set_message_handler([this](Message message, const Flow& flow) {
    on_transport_message(std::move(message), flow);
  });
  transport_.set_drop_predicate([this](const boost::asio::ip::address& remote) {
    return bans_.any_banned() && bans_.is_banned(address_text(remote));
  });
}

std::expected<void, TransportError>
SipService::start(const std::vector<store::Binding>& saved_bindings) {
  registrar_.restore(saved_bindings);
  auto started = transport_.start();
  if (!started) {
    return started;
  }
  spdlog::info("sip: restored {} registrations; listening on udp {}, tcp {}, tls {}",
               registrar_.binding_count(), local_port(TransportKind::udp).value_or(0),
               local_port(TransportKind::tcp).value_or(0),
               local_port(TransportKind::tls).value_or(0));
  expire_bindings_every_second();
  return {};
}

void SipService::stop() {
  expiry_timer_.cancel();
  transport_.stop();
}

void SipService::expire_bindings_every_second() {
  expiry_timer_.expires_after(std::chrono::seconds(1));
  expiry_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error) {
      return;
    }
    if (const auto expired = registrar_.expire_due(); expired > 0) {
      spdlog::debug("sip: {} registrations expired", expired);
    }
    expire_bindings_every_second();
  });
}

void SipService::on_transport_message(Message message, const Flow& flow) {
  if (message.is_request()) {
    // RFC 3261 §18.2.1, RFC 3581: responses go back where the request came from, so the
    // top Via records it (a REGISTER's once validation has parsed that Via).
    const auto source = address_text(flow.remote_address);
    if (message.method() == Method::register_) {
      handle_register(message, flow, source);
      return;
    }
    stamp_top_via(message, source, flow.remote_port);
  }
  const bool reliable = flow.transport != TransportKind::udp;
  const auto result =
      transactions_.on_message(std::move(message), destination_from(flow), reliable);
  if (result.kind == Received::malformed || result.kind == Received::overloaded) {
    requests_rejected_.increment();
  }
  if (!result.reply.empty()) {
    (void)transport_.send(flow, result.reply);
  }
}

bool SipService::send(const Destination& to, std::string_view bytes, bool /*reliable*/,
                      std::uint64_t transaction) {
  // A connection can fail after the bytes were queued on it: to the transaction that sent
  // them, that is a transport error too, so a dead trunk server is left at once rather than
  // after Timer B or F.
  SendCompletion on_failure;
  if (is_reliable(to)) {
    on_failure = [this, alive = std::weak_ptr(self_), transaction](const auto& error) {
      if (error && !alive.expired()) {
        transactions_.on_transport_failure(transaction);
      }
    };
  }
  return transmit(to, std::string(bytes), std::move(on_failure));
}

bool SipService::transmit(const Destination& to, std::string bytes, SendCompletion on_sent) {
  const auto sent = transport_.send(flow_of(to), std::move(bytes), std::move(on_sent));
  if (!sent) {
    spdlog::debug("sip: cannot send to {}:{}: {}", to.address, to.port, sent.error().message);
  }
  return sent.has_value();
}

std::string SipService::build_reply(const Message& request, const ValidatedRequest& parsed,
                                    std::uint16_t status, std::string_view reason,
                                    const Headers& headers, std::string_view to_tag) {
  ResponseBuilder response(request, parsed, status, reason, to_tag);
  for (const auto& [name, value] : headers) {
    response.add_header(name, value);
  }
  return std::move(response).finish();
}

void SipService::reply(ServerTransactionHandle transaction, const IncomingRequest& request,
                       std::uint16_t status, std::string_view reason, const Headers& headers) {
  (void)transactions_.respond(transaction, build_reply(request.message, request.parsed, status,
                                                       reason, headers, new_tag()));
}

void SipService::reply_statelessly(const Message& request, const ValidatedRequest& parsed,
                                   const Flow& flow, std::uint16_t status, std::string_view reason,
                                   const Headers& headers, std::string_view to_tag) {
  (void)transport_.send(flow, build_reply(request, parsed, status, reason, headers, to_tag));
}

void SipService::on_request(ServerTransactionHandle transaction, const IncomingRequest& request) {
  if (request.merged) {
    reply(transaction, request, 482, "Loop Detected"); // RFC 3261 §8.2.2.2
    return;
  }
  if (const auto unsupported = unsupported_requirements(request.message); !unsupported.empty()) {
    requests_rejected_.increment();
    reply(transaction, request, 420, "Bad Extension", {{"Unsupported", unsupported}});
    return;
  }
  const Method method = request.message.method();
  if (method == Method::cancel) {
    handle_cancel(transaction, request);
    return;
  }
  if (!request.parsed.to.tag().empty() && dialogs_ != nullptr) {
    dialogs_->on_dialog_request(transaction, request);
    return;
  }
  switch (method) {
  case Method::invite:
    handle_invite(transaction, request);
    return;
  case Method::options:
    reply(transaction, request, 200, "OK",
          {{"Allow", std::string(kAllow)},
           {"Accept", "application/sdp"},
           {"Supported", std::string(kSupported)}});
    return;
  case Method::bye:
  case Method::update:
  case Method::prack:
    // These exist only within a dialog (RFC 3261 §15, RFC 3311 §5.2, RFC 3262 §4).
    reply(transaction, request, 481, "Call/Transaction Does Not Exist");
    return;
  default:
    reply(transaction, request, 501, "Not Implemented", {{"Allow", std::string(kAllow)}});
    return;
  }
}

void SipService::on_ack(const Message& ack, const Destination& source) {
  if (dialogs_ != nullptr) {
    dialogs_->on_ack(ack, source);
  }
}

void SipService::handle_cancel(ServerTransactionHandle transaction,
                               const IncomingRequest& request) {
  if (!request.cancelled || dialogs_ == nullptr) {
    reply(transaction, request, 481, "Call/Transaction Does Not Exist"); // RFC 3261 §9.2
    return;
  }
  reply(transaction, request, 200, "OK");
  dialogs_->on_cancel(*request.cancelled);
}

// RFC 3261 §22.3: a proxy-like element challenges with 407; the B2BUA acts for the device
// towards the callee, so only an authenticated device may place calls.
void SipService::handle_invite(ServerTransactionHandle transaction,
                               const IncomingRequest& request) {
  if (dialogs_ == nullptr) {
    reply(transaction, request, 501, "Not Implemented", {{"Allow", std::string(kAllow)}});
    return;
  }
  if (const auto trunk = dialogs_->trunk_of(request)) {
    dialogs_->on_trunk_invite(transaction, request, *trunk);
    return;
  }
  const auto& line = request.message.request_line();
  const auto result =
      authenticator_.authenticate({line.method, line.request_uri,
                                   request.message.value(HeaderId::proxy_authorization), realm_});
  if (result.outcome != DigestAuthOutcome::authenticated) {
    if (result.outcome == DigestAuthOutcome::failure &&
        bans_.record_failure(request.source.address)) {
      spdlog::warn("sip: banning {} for failed authentications (last: {})", request.source.address,
                   to_string(result.reason));
    }
    Headers challenges;
    for (auto& value : authenticator_.challenge(realm_, result.stale)) {
      challenges.emplace_back("Proxy-Authenticate", std::move(value));
    }
    reply(transaction, request, 407, "Proxy Authentication Required", challenges);
    return;
  }
  bans_.record_success(request.source.address);
  if (const ConnectionId connection = connection_of(request.source); connection != kNoConnection) {
    transport_.mark_authenticated(connection);
  }
  dialogs_->on_invite(transaction, request, result.username);
}

std::expected<void, RespondError> SipService::respond(ServerTransactionHandle transaction,
                                                      std::string response) {
  return transactions_.respond(transaction, std::move(response));
}

const Message* SipService::request(ServerTransactionHandle transaction) const {
  return transactions_.request(transaction);
}

std::expected<ClientTransactionHandle, SendRequestError>
SipService::send_request(std::string request, const Destination& destination,
                         ResponseHandler on_response) {
  auto message = parse_message(request);
  if (!message) {
    spdlog::error("sip: built an unparseable request ({}): {}", message.error().reason,
                  request.substr(0, request.find('\r')));
    return std::unexpected(SendRequestError::invalid_request);
  }
  return transactions_.send_request(std::move(*message), destination, is_reliable(destination),
                                    std::move(on_response));
}

void SipService::send_stateless(const Destination& destination, std::string bytes) {
  (void)transmit(destination, std::move(bytes), {});
}

std::vector<store::Binding> SipService::bindings_of(std::string_view aor) const {
  return registrar_.bindings_of(aor);
}

Destination SipService::destination_of(const store::Binding& binding) const {
  return {flow_number(transport_named(binding.transport), kNoConnection), binding.source_address,
          binding.source_port};
}

// The source address the routing table picks towards the peer: connecting a UDP socket
// sends nothing, it only asks the kernel. Cached, because peers are few and calls many.
std::string SipService::route_source(const std::string& peer) const {
  if (const auto found = route_sources_.find(peer); found != route_sources_.end()) {
    return found->second;
  }
  boost::system::error_code error;
  const auto remote = boost::asio::ip::make_address(peer, error);
  std::string local = "127.0.0.1";
  if (!error) {
    boost::asio::ip::udp::socket probe(io_);
    probe.open(remote.is_v4() ? boost::asio::ip::udp::v4() : boost::asio::ip::udp::v6(), error);
    if (!error) {
      probe.connect({remote, 9}, error);
    }
    if (!error) {
      local = unmapped(probe.local_endpoint(error).address()).to_string();
    }
  }
  constexpr std::size_t kMaxCachedRoutes = 4096;
  if (route_sources_.size() >= kMaxCachedRoutes) {
    route_sources_.clear();
  }
  route_sources_[peer] = local;
  return local;
}

// Peers outside the local networks get the public address (docs/nat.md).
std::string SipService::advertised_address(const Destination& peer) const {
  boost::system::error_code error;
  const auto remote = boost::asio::ip::make_address(peer.address, error);
  std::string local =
      configured_address_.empty() ? route_source(peer.address) : configured_address_;
  if (error) {
    return local;
  }
  return addresses_.advertised_address(remote, boost::asio::ip::make_address(local, error))
      .to_string();
}

std::string SipService::sent_by(const Destination& peer) const {
  return host_port(advertised_address(peer), local_port(transport_of(peer)).value_or(0));
}

std::string SipService::via(const Destination& peer, std::string_view branch) const {
  return fmt::format("SIP/2.0/{} {};branch={};rport", via_transport(transport_of(peer)),
                     sent_by(peer), branch);
}

std::string SipService::contact(const Destination& peer) const {
  const TransportKind kind = transport_of(peer);
  if (kind == TransportKind::udp) {
    return fmt::format("<sip:{}>", sent_by(peer));
  }
  return fmt::format("<sip:{};transport={}>", sent_by(peer), to_string(kind));
}

// REGISTER is handled statelessly (RFC 3261 §8.2.7), as high-volume registrars do: a
// server transaction would hold each request for 64*T1 = 32 s, so 10,000 registrations a
// second would keep 640,000 transactions alive. Instead, the random parts of recent answers
// are kept in fixed tables (RecentAnswers), and a retransmission found there is answered as a
// transaction would answer it; one no longer found is recognised by its used nonce count and
// its binding.
void SipService::handle_register(Message& request, const Flow& flow, const std::string& source) {
  const auto parsed = validate_request(request);
  if (!parsed) {
    stamp_top_via(request, source, flow.remote_port);
    requests_rejected_.increment();
    if (parsed.error().can_reply) {
      (void)transport_.send(flow, build_error_response(request, parsed.error(), new_tag()));
    }
    return;
  }
  // After validation, which parsed the top Via already.
  stamp_top_via(request, parsed->top_via, source, flow.remote_port);
  if (const auto unsupported = unsupported_requirements(request); !unsupported.empty()) {
    requests_rejected_.increment();
    reply_statelessly(request, *parsed, flow, 420, "Bad Extension", {{"Unsupported", unsupported}},
                      new_tag());
    return;
  }
  // Answers go by transaction: a retransmission gets its first copy's (see RecentAnswers).
  server_key(*parsed, matching_method(*parsed), parsed->to.tag(), transaction_key_);
  const RecentAnswers::Key key = RecentAnswers::key_of(*parsed, transaction_key_);
  const std::string_view credentials = request.value(HeaderId::authorization);
  // Only a request with credentials can be a copy of one the registrar took on.
  if (!credentials.empty() && answer_accepted_copy(request, *parsed, flow, key)) {
    return;
  }
  const auto result = authenticator_.authenticate(
      {request.request_line().method, request.request_line().request_uri, credentials, realm_});
  if (result.count_unusable() && answer_retransmission(request, *parsed, flow, result.username)) {
    return;
  }
  if (result.outcome != DigestAuthOutcome::authenticated) {
    if (result.outcome == DigestAuthOutcome::failure) {
      spdlog::debug("sip: REGISTER from {}:{} not authenticated: {}", source, flow.remote_port,
                    to_string(result.reason));
    }
    if (result.outcome == DigestAuthOutcome::failure && bans_.record_failure(source)) {
      spdlog::warn("sip: banning {} for failed authentications (last: {})", source,
                   to_string(result.reason));
    }
    challenge(request, *parsed, flow, result, key);
    return;
  }
  bans_.record_success(source);
  if (flow.connection_id != kNoConnection) {
    transport_.mark_authenticated(flow.connection_id);
  }
  const RegistrationSource registration_source{std::string(to_string(flow.transport)), source,
                                               flow.remote_port, address_text(flow.local_address),
                                               flow.local_port};
  const std::string tag = new_tag();
  recent_answers_.remember_pending_acceptance(key, clock_.now());
  registrar_.handle_register(request, *parsed, registration_source, result.username, tag,
                             [this, flow, key, tag](std::string response, bool accepted) {
                               if (accepted) {
                                 recent_answers_.remember_acceptance(key, tag, clock_.now());
                               } else {
                                 recent_answers_.forget_acceptance(key);
                               }
                               (void)transport_.send(flow, std::move(response));
                             });
}

bool SipService::answer_accepted_copy(const Message& request, const ValidatedRequest& parsed,
                                      const Flow& flow, RecentAnswers::Key key) {
  const auto accepted = recent_answers_.acceptance_for(key, clock_.now());
  if (!accepted) {
    return false;
  }
  if (accepted->answered()) {
    // The key holds the To URI, so this is the AOR the first copy was authenticated for.
    const std::string aor = unescape(parsed.to.uri.user);
    if (auto again = registrar_.answer_again(request, parsed, aor, accepted->tag)) {
      (void)transport_.send(flow, std::move(*again));
    }
  }
  return true;
}

bool SipService::answer_retransmission(const Message& request, const ValidatedRequest& parsed,
                                       const Flow& flow, std::string_view user) {
  if (registrar_.is_saving(user)) {
    return true; // perhaps its own change: its 200 follows once durable
  }
  auto again = registrar_.repeat_answer(request, parsed, user, new_tag());
  if (!again) {
    return false;
  }
  (void)transport_.send(flow, std::move(*again));
  return true;
}

void SipService::challenge(const Message& request, const ValidatedRequest& parsed, const Flow& flow,
                           const DigestAuthResult& result, RecentAnswers::Key key) {
  const auto now = clock_.now();
  auto sent = recent_answers_.challenge_for(key, now); // a retransmission: the same 401
  if (!sent) {
    sent = RecentAnswers::Challenge{authenticator_.issue_nonce(), new_tag()};
    recent_answers_.remember_challenge(key, sent->nonce, sent->tag, now);
  }
  Headers challenges;
  for (auto& value : authenticator_.challenge(realm_, result.stale, sent->nonce)) {
    challenges.emplace_back("WWW-Authenticate", std::move(value));
  }
  reply_statelessly(request, parsed, flow, 401, "Unauthorized", challenges, sent->tag);
}

} // namespace starling::sip
