// Errors of the SIP parsers: what failed, where, and how the element must react.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace starling::sip {

// A header value that does not match its grammar. `reason` is a static string.
struct ValueError {
  std::string_view reason;
  std::size_t offset = 0; // into the value that was parsed
};

// A message that cannot be processed. `reason` is a static string fit for the reason
// phrase of the reply ("400 Missing Call-ID header"); `status` is the reply's code.
struct ParseError {
  std::uint16_t status = 400;
  std::string_view reason;
  std::size_t offset = 0; // into the received bytes, where known
  // False when no reply may be sent: the message is a response (RFC 3261 §18.1.2 discards
  // malformed responses), or a request without a Via to send the reply to.
  bool can_reply = false;
};

} // namespace starling::sip
