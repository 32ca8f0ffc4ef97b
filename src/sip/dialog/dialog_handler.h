// What the SIP service hands to call control (the B2BUA in pbx/): new INVITEs from
// authenticated devices and every request within a dialog. sip/ knows nothing of calls.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sip/transaction/transaction_layer.h"

namespace starling::sip {

class DialogHandler {
public:
  DialogHandler() = default;
  DialogHandler(const DialogHandler&) = delete;
  DialogHandler& operator=(const DialogHandler&) = delete;
  DialogHandler(DialogHandler&&) = delete;
  DialogHandler& operator=(DialogHandler&&) = delete;
  virtual ~DialogHandler() = default;

  // An INVITE outside any dialog whose sender authenticated as device `user` (407 done).
  virtual void on_invite(ServerTransactionHandle transaction, const IncomingRequest& request,
                         std::string_view user) = 0;
  // The SIP trunk whose provider sent `request`, recognised by where it came from: providers
  // do not answer challenges, they are trusted by address. Nothing for everyone else, who
  // must authenticate as a device.
  [[nodiscard]] virtual std::optional<std::string> trunk_of(const IncomingRequest& request) = 0;
  // An INVITE outside any dialog from the provider of `trunk`: a call from outside.
  virtual void on_trunk_invite(ServerTransactionHandle transaction, const IncomingRequest& request,
                               std::string_view trunk) = 0;
  // A request with a To tag (BYE, re-INVITE, UPDATE, INFO, OPTIONS, PRACK …). The handler
  // answers 481 when it knows no such dialog (RFC 3261 §12.2.2).
  virtual void on_dialog_request(ServerTransactionHandle transaction,
                                 const IncomingRequest& request) = 0;
  // A CANCEL matched the INVITE server transaction `invite`; the CANCEL itself was answered
  // 200. The handler stops the call attempt and answers the INVITE 487 (RFC 3261 §9.2).
  virtual void on_cancel(ServerTransactionHandle invite) = 0;
  // The ACK of a 2xx, which belongs to the dialog (RFC 3261 §13.2.2.4).
  virtual void on_ack(const Message& ack, const Destination& source) = 0;
};

} // namespace starling::sip
