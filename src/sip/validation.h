// Checks a parsed message against RFC 3261 §8.2 / §16.3 before a UAS, proxy or UAC uses it.
#pragma once

#include <cstdint>
#include <expected>
#include <string_view>

#include "sip/message.h"
#include "sip/name_addr.h"
#include "sip/parse_error.h"
#include "sip/scalars.h"
#include "sip/uri.h"
#include "sip/via.h"

namespace starling::sip {

// The parts every request handler needs, parsed once.
struct ValidatedRequest {
  Uri request_uri;
  Via top_via;
  NameAddr from;
  NameAddr to;
  std::string_view call_id;
  CSeq cseq;
  // RFC 3261 §16.6 step 3: an absent Max-Forwards counts as 70 (RFC 2543 peers omit it).
  std::uint32_t max_forwards = 70;
  bool has_max_forwards = false;
};

struct ValidatedResponse {
  Via top_via;
  NameAddr from;
  NameAddr to;
  std::string_view call_id;
  CSeq cseq;
};

// Version (505), To/From/CSeq/Call-ID present once and well-formed, at least one Via and
// every Via well-formed, CSeq method equal to the request method, Max-Forwards 0–255,
// Contact/Route/Record-Route well-formed, and a Request-URI that parses (400) with a scheme
// Starling serves (416: sip, sips, tel) and no headers component (RFC 3261 §19.1.1).
// Option tags (420), Content-Type (415) and Accept (406) depend on the element and are its
// to check; CommaList gives their values.
std::expected<ValidatedRequest, ParseError> validate_request(const Message& request);

// The same for a response; every failure has can_reply == false: RFC 3261 §18.1.2 and
// RFC 4475 (scalarlg, bigcode) discard malformed responses.
std::expected<ValidatedResponse, ParseError> validate_response(const Message& response);

} // namespace starling::sip
