// Builds the stateless error reply (400, 416, 505 …) for a request that failed to parse or
// validate, from the headers RFC 3261 §8.2.6 says to copy.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sip/message.h"
#include "sip/parse_error.h"

namespace starling::sip {

// RFC 3261 §8.2.6.2: the reply copies Via (all, in order), From, To, Call-ID and CSeq, and
// adds a To tag when the request had none. The parser is pure, so the caller brings the
// tag. The reason phrase is error.reason ("SIP/2.0 400 Missing Call-ID header").
std::string build_error_response(const Message& request, const ParseError& error,
                                 std::string_view to_tag);

// The same from the received bytes, for requests parse_message() rejected; nothing when no
// reply may be sent (error.can_reply is false).
std::optional<std::string> build_error_response(std::string_view request_bytes,
                                                const ParseError& error, std::string_view to_tag);

} // namespace starling::sip
