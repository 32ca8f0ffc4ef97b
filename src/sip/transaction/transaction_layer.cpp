// Matching of received messages to transactions, and the transactions' lifetimes.
#include "sip/transaction/transaction_layer.h"

#include <utility>

#include <fmt/format.h>

#include "sip/error_response.h"
#include "sip/name_addr.h"
#include "sip/parser.h"
#include "sip/serializer.h"
#include "sip/transaction/stateless_response.h"
#include "sip/transaction/transaction_key.h"

namespace starling::sip {

// Transactions end inside their own event functions, and TU callbacks may call back into
// the layer; terminated transactions are destroyed only when the outermost call returns.
class TransactionLayer::Reentry {
public:
  explicit Reentry(TransactionLayer& layer) : layer_(layer) { ++layer_.depth_; }
  ~Reentry() {
    if (--layer_.depth_ == 0) {
      layer_.reap();
    }
  }
  Reentry(const Reentry&) = delete;
  Reentry& operator=(const Reentry&) = delete;
  Reentry(Reentry&&) = delete;
  Reentry& operator=(Reentry&&) = delete;

private:
  TransactionLayer& layer_;
};

namespace {

ReceiveResult result(Received kind, std::uint64_t transaction = 0) {
  ReceiveResult out;
  out.kind = kind;
  out.transaction = transaction;
  return out;
}

ReceiveResult malformed(const ParseError& error) {
  ReceiveResult out;
  out.kind = Received::malformed;
  out.error = error;
  return out;
}

} // namespace

TimerHandle TransactionLayer::ReapingTimers::start(std::chrono::milliseconds delay,
                                                   std::function<void()> callback) {
  return inner_.start(delay, [&layer = layer_, callback = std::move(callback)] {
    const Reentry entered{layer};
    callback();
  });
}

TransactionLayer::TransactionLayer(TimerService& timers, TransactionTransport& transport,
                                   TransactionUser& user, core::MetricsRegistry& metrics,
                                   TransactionLayerSettings settings)
    : user_(user), settings_(settings), timers_(timers, *this),
      context_{timers_, transport, settings.timers},
      overloaded_(metrics.counter("starling_sip_transaction_overload_total",
                                  "New requests answered 503 because the transaction table "
                                  "was full")),
      merged_(metrics.counter("starling_sip_merged_requests_total",
                              "Requests that arrived twice by different branches "
                              "(RFC 3261 §8.2.2.2)")),
      live_(metrics.gauge("starling_sip_transactions", "Live SIP transactions")) {}

TransactionLayer::~TransactionLayer() {
  live_.add(-static_cast<std::int64_t>(live_transactions()));
}

ReceiveResult TransactionLayer::on_message(Message message, const Destination& source,
                                           bool reliable) {
  const Reentry entered{*this};
  if (message.is_response()) {
    return on_response(message, source);
  }
  return on_request(std::move(message), source, reliable);
}

ReceiveResult TransactionLayer::on_request(Message message, const Destination& source,
                                           bool reliable) {
  const auto parsed = validate_request(message);
  if (!parsed) {
    ReceiveResult out = malformed(parsed.error());
    // RFC 3261 §8.2.6: reply statelessly, never to an ACK. A tag derived from the request
    // keeps it the same for a retransmission of the same bad request (§8.2.7).
    if (parsed.error().can_reply && message.method() != Method::ack) {
      const auto tag = fmt::format("{:016x}", std::hash<std::string_view>{}(message.wire_bytes()));
      out.reply = build_error_response(message, parsed.error(), tag);
    }
    return out;
  }
  if (parsed->cseq.method_id == Method::ack) {
    return on_ack(message, *parsed, source);
  }
  // RFC 3261 §17.2.3: a retransmission goes to its transaction, never to the TU.
  server_key(*parsed, matching_method(*parsed), parsed->to.tag(), key_);
  if (const auto it = server_keys_.find(key_); it != server_keys_.end()) {
    ServerEntry& entry = servers_.at(it->second);
    std::visit([](auto& machine) { machine.on_request_retransmission(); }, entry.machine);
    return result(Received::retransmission, it->second);
  }
  if (full()) {
    overloaded_.increment();
    ReceiveResult out = result(Received::overloaded);
    out.reply = build_overload_response(message, settings_.overload_retry_after);
    return out;
  }
  // The views in *parsed point into the message's heap buffer, which the move keeps.
  return create_server(std::move(message), *parsed, source, reliable);
}

ReceiveResult TransactionLayer::create_server(Message message, const ValidatedRequest& parsed,
                                              const Destination& source, bool reliable) {
  // RFC 3261 §8.2.2.2: only requests outside a dialog (no To tag) can be merged.
  bool merged = false;
  const bool check_merge = parsed.to.tag().empty();
  if (check_merge) {
    merge_key(parsed, other_key_);
    merged = merge_keys_.contains(other_key_);
  }
  std::optional<ServerTransactionHandle> cancelled;
  if (parsed.cseq.method_id == Method::cancel) {
    // RFC 3261 §9.2: the INVITE with the CANCEL's branch (or RFC 2543 identifiers).
    server_key(parsed, method_name(Method::invite), parsed.to.tag(), cancel_key_);
    if (const auto it = server_keys_.find(cancel_key_); it != server_keys_.end()) {
      cancelled = ServerTransactionHandle{it->second};
    }
  }
  const std::uint64_t id = next_id_++;
  const bool is_invite = parsed.cseq.method_id == Method::invite;
  ServerTransactionObserver& observer = *this;
  auto [slot, inserted] =
      is_invite ? servers_.try_emplace(id, std::in_place_type<ServerInviteTransaction>, id,
                                       context_, observer, std::move(message), source, reliable)
                : servers_.try_emplace(id, std::in_place_type<ServerNonInviteTransaction>, id,
                                       context_, observer, std::move(message), source, reliable);
  ServerEntry& entry = slot->second;
  entry.key = key_;
  server_keys_.emplace(key_, id);
  if (check_merge && !merged) {
    entry.merge_key = other_key_;
    merge_keys_.emplace(other_key_, id);
  }
  if (merged) {
    merged_.increment();
  }
  live_.add(1);
  const Message* request = nullptr;
  std::visit(
      [&request](auto& machine) {
        machine.start();
        request = &machine.request();
      },
      entry.machine);
  const IncomingRequest incoming{*request, parsed, source, reliable, merged, cancelled};
  user_.on_request(ServerTransactionHandle{id}, incoming);
  return result(merged ? Received::merged_request : Received::new_request, id);
}

ReceiveResult TransactionLayer::on_ack(const Message& ack, const ValidatedRequest& parsed,
                                       const Destination& source) {
  ServerEntry* entry = find_invite_for_ack(parsed);
  auto* invite = entry != nullptr ? std::get_if<ServerInviteTransaction>(&entry->machine) : nullptr;
  if (invite == nullptr) {
    user_.on_ack(ack, source); // RFC 3261 §17.2.3: the ACK for a 2xx goes to the TU
    return result(Received::ack_to_tu);
  }
  if (invite->on_ack() == ServerInviteTransaction::AckDisposition::pass_to_tu) {
    user_.on_ack(ack, source);
    return result(Received::ack_to_tu, invite->id());
  }
  return result(Received::ack_absorbed, invite->id());
}

TransactionLayer::ServerEntry* TransactionLayer::find_invite_for_ack(const ValidatedRequest& ack) {
  const std::string_view invite = method_name(Method::invite);
  server_key(ack, invite, ack.to.tag(), key_);
  if (const auto it = server_keys_.find(key_); it != server_keys_.end()) {
    return &servers_.at(it->second); // an RFC 3261 branch, or an RFC 2543 re-INVITE
  }
  if (ack.top_via.has_rfc3261_branch()) {
    return nullptr;
  }
  // RFC 3261 §17.2.3: an RFC 2543 ACK carries the To tag of our response, the INVITE had
  // none.
  server_key(ack, invite, {}, key_);
  const auto it = server_keys_.find(key_);
  if (it == server_keys_.end()) {
    return nullptr;
  }
  ServerEntry& entry = servers_.at(it->second);
  return entry.to_tag == ack.to.tag() ? &entry : nullptr;
}

ReceiveResult TransactionLayer::on_response(const Message& response, const Destination& source) {
  const auto parsed = validate_response(response);
  if (!parsed) {
    return malformed(parsed.error());
  }
  // RFC 3261 §17.1.3: top Via branch and CSeq method.
  client_key(parsed->top_via.branch, parsed->cseq.method, key_);
  const auto it = client_keys_.find(key_);
  if (it == client_keys_.end()) {
    user_.on_stray_response(response, source);
    return result(Received::stray_response);
  }
  const std::uint64_t id = it->second;
  std::visit([&response](auto& machine) { machine.on_response(response); },
             clients_.at(id).machine);
  return result(Received::response, id);
}

std::expected<void, RespondError> TransactionLayer::respond(ServerTransactionHandle transaction,
                                                            const Message& response) {
  if (!response.is_response()) {
    return std::unexpected(RespondError::not_a_response);
  }
  const auto to = parse_name_addr(response.value(HeaderId::to));
  const std::string_view to_tag = to ? to->tag() : std::string_view{};
  return respond(transaction, response.status_code(), to_tag, serialize(response));
}

std::expected<void, RespondError> TransactionLayer::respond(ServerTransactionHandle transaction,
                                                            std::string response) {
  const auto parsed = parse_message(response);
  if (!parsed || !parsed->is_response()) {
    return std::unexpected(RespondError::not_a_response);
  }
  const auto to = parse_name_addr(parsed->value(HeaderId::to));
  const std::string_view to_tag = to ? to->tag() : std::string_view{};
  return respond(transaction, parsed->status_code(), to_tag, std::move(response));
}

std::expected<void, RespondError> TransactionLayer::respond(ServerTransactionHandle transaction,
                                                            std::uint16_t status_code,
                                                            std::string_view to_tag,
                                                            std::string bytes) {
  const Reentry entered{*this};
  const auto it = servers_.find(transaction.id);
  if (it == servers_.end()) {
    return std::unexpected(RespondError::unknown_transaction);
  }
  it->second.to_tag = to_tag;
  return std::visit([status_code, &bytes](
                        auto& machine) { return machine.respond(status_code, std::move(bytes)); },
                    it->second.machine);
}

const Message* TransactionLayer::request(ServerTransactionHandle transaction) const {
  const auto it = servers_.find(transaction.id);
  if (it == servers_.end()) {
    return nullptr;
  }
  return std::visit([](const auto& machine) { return &machine.request(); }, it->second.machine);
}

std::expected<ClientTransactionHandle, SendRequestError>
TransactionLayer::send_request(Message request, const Destination& destination, bool reliable,
                               ResponseHandler on_response) {
  const Reentry entered{*this};
  const auto parsed = validate_request(request);
  if (!parsed || !parsed->top_via.has_rfc3261_branch()) {
    return std::unexpected(SendRequestError::invalid_request);
  }
  if (parsed->cseq.method_id == Method::ack) {
    return std::unexpected(SendRequestError::ack_not_allowed);
  }
  client_key(parsed->top_via.branch, parsed->cseq.method, key_);
  if (client_keys_.contains(key_)) {
    return std::unexpected(SendRequestError::duplicate_branch);
  }
  if (full()) {
    overloaded_.increment();
    return std::unexpected(SendRequestError::overloaded);
  }
  const std::uint64_t id = next_id_++;
  ClientTransactionObserver& observer = *this;
  std::string bytes = serialize(request);
  auto [slot, inserted] =
      parsed->cseq.method_id == Method::invite
          ? clients_.try_emplace(id, std::in_place_type<ClientInviteTransaction>, id, context_,
                                 observer, destination, reliable, std::move(bytes))
          : clients_.try_emplace(id, std::in_place_type<ClientNonInviteTransaction>, id, context_,
                                 observer, destination, reliable, std::move(bytes));
  ClientEntry& entry = slot->second;
  entry.key = key_;
  entry.handler = std::move(on_response);
  client_keys_.emplace(key_, id);
  live_.add(1);
  std::visit([](auto& machine) { machine.start(); }, entry.machine);
  return ClientTransactionHandle{id};
}

void TransactionLayer::on_transport_failure(std::uint64_t transaction) {
  const Reentry entered{*this};
  if (const auto client = clients_.find(transaction); client != clients_.end()) {
    std::visit([](auto& machine) { machine.on_transport_error(); }, client->second.machine);
  } else if (const auto server = servers_.find(transaction); server != servers_.end()) {
    std::visit([](auto& machine) { machine.on_transport_error(); }, server->second.machine);
  }
}

bool TransactionLayer::full() const {
  return live_transactions() >= settings_.max_transactions;
}

void TransactionLayer::on_response(std::uint64_t transaction, const ClientResponse& response) {
  const auto it = clients_.find(transaction);
  if (it != clients_.end() && it->second.handler) {
    it->second.handler(response);
  }
}

void TransactionLayer::on_failure(std::uint64_t transaction, TransactionError error) {
  user_.on_server_failure(ServerTransactionHandle{transaction}, error);
}

void TransactionLayer::on_terminated(std::uint64_t transaction) {
  terminated_.push_back(transaction);
}

void TransactionLayer::reap() {
  // Destroying a transaction runs no callbacks, so the list cannot grow while this runs.
  for (const std::uint64_t id : terminated_) {
    if (const auto server = servers_.find(id); server != servers_.end()) {
      server_keys_.erase(server->second.key);
      if (!server->second.merge_key.empty()) {
        merge_keys_.erase(server->second.merge_key);
      }
      servers_.erase(server);
      live_.add(-1);
    } else if (const auto client = clients_.find(id); client != clients_.end()) {
      client_keys_.erase(client->second.key);
      clients_.erase(client);
      live_.add(-1);
    }
  }
  terminated_.clear();
}

} // namespace starling::sip
