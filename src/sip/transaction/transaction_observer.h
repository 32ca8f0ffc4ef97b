// What a transaction tells its owner: results for the TU, failures, and its own end.
#pragma once

#include <cstdint>

#include "sip/message.h"

namespace starling::sip {

enum class TransactionError : std::uint8_t {
  timeout,         // Timer B, F or H fired (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1)
  transport_error, // the transport could not send (RFC 3261 §17.1.4, §17.2.4)
};

// A response for the TU of a client transaction. RFC 3261 §8.1.3.1: a timeout reaches the
// TU as a 408 and a transport error as a 503, without a message.
struct ClientResponse {
  const Message* message = nullptr; // null when the transaction made the status up
  std::uint16_t status_code = 0;
};

class ClientTransactionObserver {
public:
  ClientTransactionObserver() = default;
  ClientTransactionObserver(const ClientTransactionObserver&) = delete;
  ClientTransactionObserver& operator=(const ClientTransactionObserver&) = delete;
  ClientTransactionObserver(ClientTransactionObserver&&) = delete;
  ClientTransactionObserver& operator=(ClientTransactionObserver&&) = delete;
  virtual ~ClientTransactionObserver() = default;

  virtual void on_response(std::uint64_t transaction, const ClientResponse& response) = 0;
  // The transaction reached Terminated: its owner destroys it, never from inside this call.
  virtual void on_terminated(std::uint64_t transaction) = 0;
};

class ServerTransactionObserver {
public:
  ServerTransactionObserver() = default;
  ServerTransactionObserver(const ServerTransactionObserver&) = delete;
  ServerTransactionObserver& operator=(const ServerTransactionObserver&) = delete;
  ServerTransactionObserver(ServerTransactionObserver&&) = delete;
  ServerTransactionObserver& operator=(ServerTransactionObserver&&) = delete;
  virtual ~ServerTransactionObserver() = default;

  // The response the TU sent may not have arrived: no ACK before Timer H, a transport
  // error, or (Starling's own limit) no answer from the TU at all.
  virtual void on_failure(std::uint64_t transaction, TransactionError error) = 0;
  virtual void on_terminated(std::uint64_t transaction) = 0;
};

} // namespace starling::sip
