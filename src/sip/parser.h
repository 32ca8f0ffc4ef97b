// Parses received bytes into a sip::Message: start line, header lines, body (RFC 3261 §7).
#pragma once

#include <expected>
#include <string_view>

#include "sip/message.h"
#include "sip/parse_error.h"

namespace starling::sip {

// How the bytes arrived decides how the body is delimited (RFC 3261 §18.3).
enum class Framing {
  // UDP: the datagram is the message. Without Content-Length the body runs to the end;
  // octets beyond Content-Length are ignored; a Content-Length beyond the end is an error.
  datagram,
  // TCP/TLS: Content-Length is mandatory and the body must be complete. Octets after the
  // message (the next message) are not part of it; see Message::wire_bytes().
  stream,
};

// Parses the framing of one message: start line syntax, header line syntax, header names,
// Content-Length and the body. Header values are parsed on demand by the value parsers;
// validate_request()/validate_response() check what RFC 3261 §8.2 requires before use.
// The bytes are copied once into the Message; nothing else is allocated per header.
std::expected<Message, ParseError> parse_message(std::string_view bytes,
                                                 Framing framing = Framing::datagram);

// Whether a reply may be sent for these bytes although they did not parse: a request
// (not "SIP/…") with at least one Via header line to address the reply to.
bool can_reply_to(std::string_view bytes);

} // namespace starling::sip
