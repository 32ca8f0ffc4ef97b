// The INVITE server transaction: RFC 3261 §17.2.1 (Figure 7) as corrected by RFC 6026 §7.1
// (a 2xx leads to Accepted, not Terminated).
#pragma once

#include <chrono>
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

class ServerInviteTransaction {
public:
  enum class State : std::uint8_t { proceeding, completed, confirmed, accepted, terminated };

  // What to do with an ACK the layer matched to this transaction.
  enum class AckDisposition : std::uint8_t {
    absorbed,   // part of the transaction (ACK for a non-2xx, or a retransmission)
    pass_to_tu, // RFC 6026 §7.1: in Accepted the ACK belongs to the TU
  };

  // `source` is where the request came from; responses go back there.
  ServerInviteTransaction(std::uint64_t id, TransactionContext& context,
                          ServerTransactionObserver& observer, Message invite, Destination source,
                          bool reliable);
  ServerInviteTransaction(const ServerInviteTransaction&) = delete;
  ServerInviteTransaction& operator=(const ServerInviteTransaction&) = delete;
  ServerInviteTransaction(ServerInviteTransaction&&) = delete;
  ServerInviteTransaction& operator=(ServerInviteTransaction&&) = delete;
  ~ServerInviteTransaction() = default;

  // Events.
  void start(); // INVITE received, about to be passed to the TU
  void on_request_retransmission();
  AckDisposition on_ack();
  // A response from the TU: `bytes` is the serialized response with that status code.
  std::expected<void, RespondError> respond(std::uint16_t status_code, std::string bytes);
  void on_transport_error();

  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] std::uint64_t id() const { return id_; }
  [[nodiscard]] const Message& request() const { return invite_; }
  [[nodiscard]] const Destination& source() const { return source_; }
  [[nodiscard]] bool reliable() const { return reliable_; }

private:
  void on_trying_timer();
  void on_timer_g();
  void on_timer_h();
  void on_timer_i();
  void on_timer_l();
  void complete();
  bool send(std::string_view bytes);
  void terminate();

  std::uint64_t id_;
  TransactionContext& context_;
  ServerTransactionObserver& observer_;
  Message invite_;
  Destination source_;
  bool reliable_;
  State state_ = State::proceeding;
  std::string last_response_;
  std::chrono::milliseconds timer_g_interval_{0};
  TimerSlot trying_timer_;
  TimerSlot timer_g_;
  TimerSlot timer_h_;
  TimerSlot timer_i_;
  TimerSlot timer_l_;
};

} // namespace starling::sip
