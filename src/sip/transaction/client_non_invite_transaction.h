// The non-INVITE client transaction: RFC 3261 §17.1.2 (Figure 6).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "sip/message.h"
#include "sip/transaction/timer_slot.h"
#include "sip/transaction/transaction_context.h"
#include "sip/transaction/transaction_observer.h"

namespace starling::sip {

class ClientNonInviteTransaction {
public:
  enum class State : std::uint8_t { trying, proceeding, completed, terminated };

  // `request` is the serialized request with a top Via carrying an RFC 3261 branch.
  ClientNonInviteTransaction(std::uint64_t id, TransactionContext& context,
                             ClientTransactionObserver& observer, Destination destination,
                             bool reliable, std::string request);
  ClientNonInviteTransaction(const ClientNonInviteTransaction&) = delete;
  ClientNonInviteTransaction& operator=(const ClientNonInviteTransaction&) = delete;
  ClientNonInviteTransaction(ClientNonInviteTransaction&&) = delete;
  ClientNonInviteTransaction& operator=(ClientNonInviteTransaction&&) = delete;
  ~ClientNonInviteTransaction() = default;

  // Events.
  void start(); // request from TU
  void on_response(const Message& response);
  void on_transport_error();

  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] std::uint64_t id() const { return id_; }

private:
  void on_timer_e();
  void on_timer_f();
  void on_timer_k();
  bool send(std::string_view bytes);
  void terminate();

  std::uint64_t id_;
  TransactionContext& context_;
  ClientTransactionObserver& observer_;
  Destination destination_;
  bool reliable_;
  std::string request_;
  State state_ = State::trying;
  std::chrono::milliseconds timer_e_interval_{0};
  TimerSlot timer_e_;
  TimerSlot timer_f_;
  TimerSlot timer_k_;
};

} // namespace starling::sip
