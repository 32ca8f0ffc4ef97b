// The non-INVITE server transaction: RFC 3261 §17.2.2 (Figure 8).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "sip/message.h"
#include "sip/transaction/respond_error.h"
#include "sip/transaction/timer_slot.h"
#include "sip/transaction/transaction_context.h"
#include "sip/transaction/transaction_observer.h"

namespace starling::sip {

class ServerNonInviteTransaction {
public:
  enum class State : std::uint8_t { trying, proceeding, completed, terminated };

  // `source` is where the request came from; responses go back there.
  ServerNonInviteTransaction(std::uint64_t id, TransactionContext& context,
                             ServerTransactionObserver& observer, Message request,
                             Destination source, bool reliable);
  ServerNonInviteTransaction(const ServerNonInviteTransaction&) = delete;
  ServerNonInviteTransaction& operator=(const ServerNonInviteTransaction&) = delete;
  ServerNonInviteTransaction(ServerNonInviteTransaction&&) = delete;
  ServerNonInviteTransaction& operator=(ServerNonInviteTransaction&&) = delete;
  ~ServerNonInviteTransaction() = default;

  // Events.
  void start(); // request received, about to be passed to the TU
  void on_request_retransmission();
  // A response from the TU: `bytes` is the serialized response with that status code.
  std::expected<void, RespondError> respond(std::uint16_t status_code, std::string bytes);
  void on_transport_error();

  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] std::uint64_t id() const { return id_; }
  [[nodiscard]] const Message& request() const { return request_; }
  [[nodiscard]] const Destination& source() const { return source_; }
  [[nodiscard]] bool reliable() const { return reliable_; }

private:
  void on_timer_j();
  void on_tu_deadline();
  bool send(std::string_view bytes);
  void terminate();

  std::uint64_t id_;
  TransactionContext& context_;
  ServerTransactionObserver& observer_;
  Message request_;
  Destination source_;
  bool reliable_;
  State state_ = State::trying;
  std::string last_response_;
  TimerSlot timer_j_;
  TimerSlot tu_deadline_;
};

} // namespace starling::sip
