// How transactions hand bytes to the transport layer, and the opaque address they send to.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace starling::sip {

// Where a message goes or came from, as the transport layer names it. The transaction layer
// never looks inside: it keeps the value a request arrived with and sends the responses
// back to it (RFC 3261 §18.2.2 via the same connection or the source address).
struct Destination {
  std::uint32_t flow = 0; // transport or connection id chosen by the transport layer
  std::string address;    // IP literal, without IPv6 brackets
  std::uint16_t port = 0;
  std::string server_name{}; // TLS: the host the server's certificate must be for (Flow)

  friend bool operator==(const Destination&, const Destination&) = default;
};

class TransactionTransport {
public:
  TransactionTransport() = default;
  TransactionTransport(const TransactionTransport&) = delete;
  TransactionTransport& operator=(const TransactionTransport&) = delete;
  TransactionTransport(TransactionTransport&&) = delete;
  TransactionTransport& operator=(TransactionTransport&&) = delete;
  virtual ~TransactionTransport() = default;

  // Sends one message for `transaction`. `bytes` is only valid during the call: copy it to
  // queue it. Returns false when the transport failed at once (RFC 3261 §17.1.4, §17.2.4: a
  // transport error, which the transaction reports to its TU). A failure found later (a
  // connection refused, a TLS certificate rejected) is reported to
  // TransactionLayer::on_transport_failure with `transaction`.
  virtual bool send(const Destination& to, std::string_view bytes, bool reliable,
                    std::uint64_t transaction) = 0;
};

} // namespace starling::sip
