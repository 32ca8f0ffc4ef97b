// The transaction layer (RFC 3261 §17): owns every client and server transaction of a shard,
// matches received messages to them, and hands new requests to the transaction user (TU).
//
// Use:
//   TransactionLayer layer{timers, transport, tu, metrics};
//   // transport: for every parsed message
//   const ReceiveResult r = layer.on_message(std::move(message), source, reliable);
//   if (r.kind == Received::overloaded) transport.send(source, r.reply, reliable);
//   // TU (registrar): in on_request(tx, request), now or later on the same shard
//   layer.respond(tx, response);            // any number of 1xx, then one final response
//
// Single-threaded: call it from the shard's thread only, like the TimerService it is given.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "core/metrics.h"
#include "sip/message.h"
#include "sip/parse_error.h"
#include "sip/transaction/client_invite_transaction.h"
#include "sip/transaction/client_non_invite_transaction.h"
#include "sip/transaction/respond_error.h"
#include "sip/transaction/server_invite_transaction.h"
#include "sip/transaction/server_non_invite_transaction.h"
#include "sip/transaction/transaction_context.h"
#include "sip/transaction/transaction_observer.h"
#include "sip/validation.h"

namespace starling::sip {

// Live transactions per layer (one layer per shard). Finished transactions linger 64*T1 =
// 32 s on UDP (RFC 3261 Timers J and K, RFC 6026 Timers L and M), and a call costs about six
// of them (INVITE twice for the 407, the forked INVITE, BYE both ways), so 100,000 sustain
// some 500 calls per second per shard (bench/calls measured 500/s failing at 20,000). At
// roughly 2 KB each that bounds them to ~200 MB; beyond it new requests get a 503.
inline constexpr std::size_t kMaxLiveTransactions = 100000;
// Retry-After of that 503: long enough for the load to drain, short enough for phones
// re-registering.
inline constexpr std::chrono::seconds kOverloadRetryAfter{5};

struct TransactionLayerSettings {
  TimerSettings timers;
  std::size_t max_transactions = kMaxLiveTransactions;
  std::chrono::seconds overload_retry_after = kOverloadRetryAfter;
};

// Handles stay safe to use after the transaction ended: the layer then answers
// RespondError::unknown_transaction.
struct ServerTransactionHandle {
  std::uint64_t id = 0;
  friend bool operator==(ServerTransactionHandle, ServerTransactionHandle) = default;
};
struct ClientTransactionHandle {
  std::uint64_t id = 0;
  friend bool operator==(ClientTransactionHandle, ClientTransactionHandle) = default;
};

// A new request, valid during TransactionUser::on_request. The message itself stays
// available through TransactionLayer::request() until the transaction ends.
struct IncomingRequest {
  const Message& message;
  const ValidatedRequest& parsed; // views into `message`
  const Destination& source;
  bool reliable = false;
  // RFC 3261 §8.2.2.2: the same request (From tag, Call-ID, CSeq) is in progress under
  // another branch; the TU SHOULD answer 482 (Loop Detected).
  bool merged = false;
  // A CANCEL: the INVITE server transaction it cancels (RFC 3261 §9.2). Without one the TU
  // answers the CANCEL 481; with one, 200 to the CANCEL and 487 to the INVITE.
  std::optional<ServerTransactionHandle> cancelled;
};

class TransactionUser {
public:
  TransactionUser() = default;
  TransactionUser(const TransactionUser&) = delete;
  TransactionUser& operator=(const TransactionUser&) = delete;
  TransactionUser(TransactionUser&&) = delete;
  TransactionUser& operator=(TransactionUser&&) = delete;
  virtual ~TransactionUser() = default;

  // A request that created a server transaction; answer it with TransactionLayer::respond.
  virtual void on_request(ServerTransactionHandle transaction, const IncomingRequest& request) = 0;
  // An ACK outside any transaction: the ACK for a 2xx, which belongs to the dialog
  // (RFC 3261 §17.2.3, §13.3.1.4; RFC 6026 §7.1).
  virtual void on_ack(const Message& /*ack*/, const Destination& /*source*/) {}
  // A response matching no client transaction (RFC 3261 §17.1.3, §18.1.2).
  virtual void on_stray_response(const Message& /*response*/, const Destination& /*source*/) {}
  // The server transaction ended without its response surely delivered: no ACK before
  // Timer H, a transport error, or no answer from the TU within 64*T1 (non-INVITE).
  virtual void on_server_failure(ServerTransactionHandle /*transaction*/,
                                 TransactionError /*error*/) {}
};

// What on_message did with a message.
enum class Received : std::uint8_t {
  new_request,    // a server transaction was created and the TU called
  merged_request, // the same, with IncomingRequest::merged set (the TU answers 482)
  retransmission, // a request retransmission, answered or absorbed by its transaction
  ack_absorbed,   // an ACK that belongs to an INVITE server transaction (non-2xx)
  ack_to_tu,      // an ACK for a 2xx, given to TransactionUser::on_ack
  response,       // a response given to its client transaction
  stray_response, // a response without transaction, given to on_stray_response
  overloaded,     // no room for a new transaction: send `reply` (503) back to the source
  malformed,      // failed validate_request/validate_response; `error` says why
};

struct ReceiveResult {
  Received kind = Received::new_request;
  std::uint64_t transaction = 0; // the server or client transaction involved, if any
  std::string reply;             // overloaded (503), or malformed request (400 …) to send back
  ParseError error;              // malformed only; build_error_response() when can_reply
};

enum class SendRequestError : std::uint8_t {
  invalid_request,  // not a valid request, or its top Via has no RFC 3261 branch
  ack_not_allowed,  // an ACK for a 2xx is sent by the TU directly (RFC 3261 §17.1.1.3)
  duplicate_branch, // a live client transaction has this branch and method
  overloaded,       // kMaxLiveTransactions reached
};

using ResponseHandler = std::function<void(const ClientResponse&)>;

class TransactionLayer final : private ClientTransactionObserver,
                               private ServerTransactionObserver {
public:
  TransactionLayer(TimerService& timers, TransactionTransport& transport, TransactionUser& user,
                   core::MetricsRegistry& metrics, TransactionLayerSettings settings = {});
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;
  TransactionLayer(TransactionLayer&&) = delete;
  TransactionLayer& operator=(TransactionLayer&&) = delete;
  ~TransactionLayer() override;

  // A message from the transport, parsed; `source` is where it came from and where
  // responses to it go.
  ReceiveResult on_message(Message message, const Destination& source, bool reliable);

  // The TU's response for a server transaction: any number of 1xx, then one final
  // response (for an INVITE, 2xx retransmissions too, RFC 6026 §7.1).
  std::expected<void, RespondError> respond(ServerTransactionHandle transaction,
                                            const Message& response);
  std::expected<void, RespondError> respond(ServerTransactionHandle transaction,
                                            std::string response);
  // The request of a live server transaction, or null.
  [[nodiscard]] const Message* request(ServerTransactionHandle transaction) const;

  // Starts a client transaction for `request` (its top Via carries a fresh RFC 3261 branch).
  // `on_response` receives the responses, a 408 on timeout or a 503 on transport error.
  std::expected<ClientTransactionHandle, SendRequestError>
  send_request(Message request, const Destination& destination, bool reliable,
               ResponseHandler on_response);

  // The transport could not deliver what `transaction` sent, after send() had accepted it
  // (RFC 3261 §17.1.4, §17.2.4): the transaction ends as if the send had failed at once.
  void on_transport_failure(std::uint64_t transaction);

  [[nodiscard]] std::size_t live_transactions() const { return servers_.size() + clients_.size(); }

private:
  using ServerMachine = std::variant<ServerInviteTransaction, ServerNonInviteTransaction>;
  using ClientMachine = std::variant<ClientInviteTransaction, ClientNonInviteTransaction>;
  // Built in place in the map (transactions do not move: their timers point at them).
  struct ServerEntry {
    template <class Machine, class... Args>
    explicit ServerEntry(std::in_place_type_t<Machine> type, Args&&... args)
        : machine(type, std::forward<Args>(args)...) {}
    ServerMachine machine;
    std::string key;
    std::string merge_key; // empty when not in merge_keys_
    std::string to_tag;    // of the last response, for RFC 2543 ACK matching
  };
  struct ClientEntry {
    template <class Machine, class... Args>
    explicit ClientEntry(std::in_place_type_t<Machine> type, Args&&... args)
        : machine(type, std::forward<Args>(args)...) {}
    ClientMachine machine;
    std::string key;
    ResponseHandler handler;
  };
  class Reentry;
  class ReapingTimers final : public TimerService {
  public:
    ReapingTimers(TimerService& inner, TransactionLayer& layer) : inner_(inner), layer_(layer) {}
    TimerHandle start(std::chrono::milliseconds delay, std::function<void()> callback) override;
    void cancel(TimerHandle handle) override { inner_.cancel(handle); }

  private:
    TimerService& inner_;
    TransactionLayer& layer_;
  };

  ReceiveResult on_request(Message message, const Destination& source, bool reliable);
  ReceiveResult on_ack(const Message& ack, const ValidatedRequest& parsed,
                       const Destination& source);
  ReceiveResult on_response(const Message& response, const Destination& source);
  ServerEntry* find_invite_for_ack(const ValidatedRequest& ack);
  ReceiveResult create_server(Message message, const ValidatedRequest& parsed,
                              const Destination& source, bool reliable);
  std::expected<void, RespondError> respond(ServerTransactionHandle transaction,
                                            std::uint16_t status_code, std::string_view to_tag,
                                            std::string bytes);
  [[nodiscard]] bool full() const;
  void reap();

  void on_response(std::uint64_t transaction, const ClientResponse& response) override;
  void on_failure(std::uint64_t transaction, TransactionError error) override;
  void on_terminated(std::uint64_t transaction) override;

  TransactionUser& user_;
  TransactionLayerSettings settings_;
  ReapingTimers timers_;
  TransactionContext context_;
  core::Counter& overloaded_;
  core::Counter& merged_;
  core::Gauge& live_;
  std::uint64_t next_id_ = 1;
  int depth_ = 0;                         // nested calls into the layer; reaping waits for 0
  std::vector<std::uint64_t> terminated_; // to destroy once no call is inside them
  std::string key_;                       // reused key buffers: no allocation per lookup
  std::string other_key_;
  std::string cancel_key_;
  std::unordered_map<std::uint64_t, ServerEntry> servers_;
  std::unordered_map<std::uint64_t, ClientEntry> clients_;
  std::unordered_map<std::string, std::uint64_t> server_keys_;
  std::unordered_map<std::string, std::uint64_t> merge_keys_;
  std::unordered_map<std::string, std::uint64_t> client_keys_;
};

} // namespace starling::sip
