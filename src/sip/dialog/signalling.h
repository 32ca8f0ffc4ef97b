// What call control may ask of the SIP service: answer, send requests, find a device's
// contacts and say how Starling appears to a peer. An interface, so that the B2BUA runs
// against a fake in unit tests.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "sip/transaction/transaction_layer.h"
#include "store/records.h"

namespace starling::sip {

class Signalling {
public:
  Signalling() = default;
  Signalling(const Signalling&) = delete;
  Signalling& operator=(const Signalling&) = delete;
  Signalling(Signalling&&) = delete;
  Signalling& operator=(Signalling&&) = delete;
  virtual ~Signalling() = default;

  virtual std::expected<void, RespondError> respond(ServerTransactionHandle transaction,
                                                    std::string response) = 0;
  // The request of a live server transaction, or null once it ended.
  [[nodiscard]] virtual const Message* request(ServerTransactionHandle transaction) const = 0;
  // Starts a client transaction; `request` must carry a Via from via() with a fresh branch.
  virtual std::expected<ClientTransactionHandle, SendRequestError>
  send_request(std::string request, const Destination& destination,
               ResponseHandler on_response) = 0;
  // Outside any transaction: the ACK of a 2xx (RFC 3261 §13.2.2.4).
  virtual void send_stateless(const Destination& destination, std::string bytes) = 0;

  // The current contacts of a device (its address-of-record is its auth name).
  [[nodiscard]] virtual std::vector<store::Binding> bindings_of(std::string_view aor) const = 0;
  // Where a registered contact is reached: the flow it registered over (RFC 5626), which
  // behind NAT is the only way in.
  [[nodiscard]] virtual Destination destination_of(const store::Binding& binding) const = 0;

  // How Starling appears to `peer`: its address for that peer (the public one for peers
  // outside the local networks), for Via, Contact and SDP.
  [[nodiscard]] virtual std::string advertised_address(const Destination& peer) const = 0;
  // "SIP/2.0/UDP 192.0.2.1:5060;branch=…;rport" for a request to `peer`.
  [[nodiscard]] virtual std::string via(const Destination& peer, std::string_view branch) const = 0;
  // "<sip:192.0.2.1:5060;transport=tcp>" for Contact headers sent to `peer`.
  [[nodiscard]] virtual std::string contact(const Destination& peer) const = 0;
};

} // namespace starling::sip
