// The SIP service of `starling serve`: transports, transactions, digest authentication, the
// ban list and the registrar, wired together on one signalling io_context.
#include "sip/sip_service.h"

#include <random>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sip/comma_list.h"
#include "sip/error_response.h"
#include "sip/response_builder.h"

namespace starling::sip {
namespace {

// RFC 3261 §20.5 and §20.37: what this server answers to OPTIONS and 405/501.
constexpr std::string_view kAllow = "REGISTER, OPTIONS";
constexpr std::string_view kSupported = "path";

// A Destination names a flow by a number: the connection id with the transport in the two
// low bits (0 for UDP), so sending needs no table of flows.
std::uint32_t flow_number(const Flow& flow) {
  return static_cast<std::uint32_t>((flow.connection_id << 2U) |
                                    static_cast<std::uint32_t>(flow.transport));
}

Destination destination_of(const Flow& flow) {
  return {flow_number(flow), flow.remote_address.to_string(), flow.remote_port};
}

Flow flow_of(const Destination& destination) {
  Flow flow;
  flow.transport = static_cast<TransportKind>(destination.flow & 3U);
  flow.connection_id = destination.flow >> 2U;
  boost::system::error_code error;
  flow.remote_address = boost::asio::ip::make_address(destination.address, error);
  flow.remote_port = destination.port;
  return flow;
}

// RFC 3261 §19.3: a tag needs 32 random bits; it only has to be unique, not secret.
std::string new_tag() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return fmt::format("{:016x}", generator());
}

// RFC 3261 §8.2.2.3: option tags in Require that this server does not support.
std::string unsupported_requirements(const Message& request) {
  std::string unsupported;
  for (const auto& header : request.headers()) {
    if (header.id != HeaderId::require) {
      continue;
    }
    for (const auto tag : CommaList(header.value)) {
      if (tag != kSupported) {
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
                       BindingPersistence& persistence)
    : clock_(clock), realm_(settings.realm),
      transport_(io, settings.transport, metrics, clock, tls), timers_(io),
      transactions_(timers_, *this, *this, metrics, transaction_settings(settings)),
      authenticator_(clock, credentials, auth_options(settings)),
      bans_(clock, metrics, settings.bans),
      registrar_(settings.registrar, clock, events, persistence), expiry_timer_(io),
      requests_rejected_(metrics.counter("starling_sip_requests_rejected_total",
                                         "Requests answered 4xx/5xx before any handler")) {
  transport_.set_message_handler([this](Message message, const Flow& flow) {
    on_transport_message(std::move(message), flow);
  });
  transport_.set_drop_predicate([this](const boost::asio::ip::address& remote) {
    return bans_.is_banned(unmapped(remote).to_string());
  });
}

SipService::~SipService() {
  stop();
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
    // RFC 3261 §18.2.1, RFC 3581: responses go back where the request came from.
    stamp_received(message, flow);
  }
  const bool reliable = flow.transport != TransportKind::udp;
  const auto result = transactions_.on_message(std::move(message), destination_of(flow), reliable);
  if (result.kind == Received::malformed || result.kind == Received::overloaded) {
    requests_rejected_.increment();
  }
  if (!result.reply.empty()) {
    (void)transport_.send(flow, result.reply);
  }
}

bool SipService::send(const Destination& to, std::string_view bytes, bool /*reliable*/) {
  const auto sent = transport_.send(flow_of(to), std::string(bytes));
  if (!sent) {
    spdlog::debug("sip: cannot send to {}:{}: {}", to.address, to.port, sent.error().message);
  }
  return sent.has_value();
}

void SipService::reply(ServerTransactionHandle transaction, const IncomingRequest& request,
                       std::uint16_t status, std::string_view reason,
                       const std::vector<std::pair<std::string_view, std::string>>& headers) {
  ResponseBuilder response(request.message, status, reason, new_tag());
  for (const auto& [name, value] : headers) {
    response.add_header(name, value);
  }
  (void)transactions_.respond(transaction, std::move(response).finish());
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
  switch (request.message.method()) {
  case Method::register_:
    handle_register(transaction, request);
    return;
  case Method::options:
    reply(transaction, request, 200, "OK",
          {{"Allow", std::string(kAllow)},
           {"Accept", "application/sdp"},
           {"Supported", std::string(kSupported)}});
    return;
  case Method::cancel:
    reply(transaction, request, 481, "Call/Transaction Does Not Exist"); // RFC 3261 §9.2
    return;
  default:
    reply(transaction, request, 501, "Not Implemented", {{"Allow", std::string(kAllow)}});
    return;
  }
}

void SipService::handle_register(ServerTransactionHandle transaction,
                                 const IncomingRequest& request) {
  const Message& message = request.message;
  const auto result = authenticator_.authenticate({message.request_line().method,
                                                   message.request_line().request_uri,
                                                   message.value(HeaderId::authorization), realm_});
  if (result.outcome != DigestAuthOutcome::authenticated) {
    if (result.outcome == DigestAuthOutcome::failure &&
        bans_.record_failure(request.source.address)) {
      spdlog::warn("sip: banning {} for failed authentications (last: {})", request.source.address,
                   to_string(result.reason));
    }
    std::vector<std::pair<std::string_view, std::string>> challenges;
    for (auto& value : authenticator_.challenge(realm_, result.stale)) {
      challenges.emplace_back("WWW-Authenticate", std::move(value));
    }
    reply(transaction, request, 401, "Unauthorized", challenges);
    return;
  }
  bans_.record_success(request.source.address);
  const Flow flow = flow_of(request.source);
  if (flow.connection_id != kNoConnection) {
    transport_.mark_authenticated(flow.connection_id);
  }
  const RegistrationSource source{std::string(to_string(flow.transport)), request.source.address,
                                  request.source.port, "", 0};
  registrar_.handle_register(message, request.parsed, source, result.username, new_tag(),
                             [this, transaction](std::string response) {
                               (void)transactions_.respond(transaction, std::move(response));
                             });
}

} // namespace starling::sip
