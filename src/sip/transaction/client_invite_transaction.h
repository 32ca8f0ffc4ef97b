// The INVITE client transaction: RFC 3261 §17.1.1 (Figure 5) with RFC 6026's Accepted state.
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

class ClientInviteTransaction {
public:
  enum class State : std::uint8_t { calling, proceeding, completed, accepted, terminated };

  // `invite` is the serialized request with a top Via carrying an RFC 3261 branch.
  ClientInviteTransaction(std::uint64_t id, TransactionContext& context,
                          ClientTransactionObserver& observer, Destination destination,
                          bool reliable, std::string invite);
  ClientInviteTransaction(const ClientInviteTransaction&) = delete;
  ClientInviteTransaction& operator=(const ClientInviteTransaction&) = delete;
  ClientInviteTransaction(ClientInviteTransaction&&) = delete;
  ClientInviteTransaction& operator=(ClientInviteTransaction&&) = delete;
  ~ClientInviteTransaction() = default;

  // Events.
  void start(); // INVITE from TU
  void on_response(const Message& response);
  void on_transport_error();

  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] std::uint64_t id() const { return id_; }

private:
  void on_timer_a();
  void on_timer_b();
  void on_timer_d();
  void on_timer_m();
  void on_provisional(const Message& response);
  void on_2xx(const Message& response);
  void on_non_2xx_final(const Message& response);
  bool send(std::string_view bytes);
  void terminate();

  std::uint64_t id_;
  TransactionContext& context_;
  ClientTransactionObserver& observer_;
  Destination destination_;
  bool reliable_;
  std::string invite_;
  std::string ack_; // RFC 3261 §17.1.1.3, built on the first non-2xx final response
  State state_ = State::calling;
  std::chrono::milliseconds timer_a_interval_{0};
  TimerSlot timer_a_;
  TimerSlot timer_b_;
  TimerSlot timer_d_;
  TimerSlot timer_m_;
};

// RFC 3261 §17.1.1.3: the ACK for a non-2xx final response — the INVITE's Request-URI, top
// Via, Route, From and Call-ID, the response's To, the INVITE's CSeq number with method
// ACK. Empty when `invite` does not parse.
std::string build_non_2xx_ack(std::string_view invite, const Message& response);

} // namespace starling::sip
