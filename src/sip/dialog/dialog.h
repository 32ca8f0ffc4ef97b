// A dialog (RFC 3261 §12) seen from one side: what that side needs to send requests within
// it. The B2BUA keeps one per call leg.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message.h"
#include "sip/request_builder.h"
#include "sip/validation.h"

namespace starling::sip {

struct Dialog {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;
  std::string local_uri;     // name-addr without tag: From of our requests
  std::string remote_uri;    // name-addr without tag: To of our requests
  std::string remote_target; // the peer's Contact URI: Request-URI of our requests
  std::vector<std::string> route_set;
  std::uint32_t local_cseq = 0;
  std::optional<std::uint32_t> remote_cseq;
};

// RFC 3261 §12.1.1: the UAS side of the dialog an INVITE creates, answered with `local_tag`.
Dialog dialog_as_uas(const Message& request, const ValidatedRequest& parsed,
                     std::string_view local_tag);

// RFC 3261 §12.1.2: the UAC side, from a 1xx/2xx with a To tag to the request we sent with
// CSeq `cseq`. Nothing when the response has no To tag.
std::optional<Dialog> dialog_as_uac(const Message& response, const ValidatedResponse& parsed,
                                    std::uint32_t cseq);

// RFC 3261 §12.2.1.2: a target refresh request or its 2xx may carry a new Contact.
void refresh_remote_target(Dialog& dialog, const Message& message);

// RFC 3261 §12.2.1.1: request line, Route, From, To, Call-ID and a new CSeq of a request
// within the dialog. The caller adds Via, Max-Forwards, Contact and the body.
RequestBuilder dialog_request(Dialog& dialog, std::string_view method);

// RFC 3261 §13.2.2.4, §17.1.1.3: the ACK of a 2xx carries the INVITE's CSeq number.
RequestBuilder dialog_ack(const Dialog& dialog, std::uint32_t invite_cseq);

// RFC 3261 §12.2.2: a request within the dialog whose CSeq is lower than the last one is
// out of order (500). Records the new CSeq otherwise.
bool accept_remote_cseq(Dialog& dialog, std::uint32_t cseq);

// "Display" <uri> of a From or To, without its tag.
std::string without_tag(const NameAddr& address);

} // namespace starling::sip
