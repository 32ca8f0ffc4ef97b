// Edits a proxy or UAS makes to received messages: Via stamping, pushing and popping values.
#pragma once

#include <cstdint>
#include <string_view>

#include "sip/header_names.h"
#include "sip/message.h"
#include "sip/via.h"

namespace starling::sip {

// RFC 3261 §18.2.1 and RFC 3581 §4: on a received request, adds received=<source address>
// to the top Via when it differs from the sent-by host or when rport was asked for, and
// fills rport with the source port when the Via carries a bare "rport". Existing received
// and rport parameters are replaced. Returns false when there is no parseable top Via.
bool stamp_top_via(Message& request, std::string_view source_address, std::uint16_t source_port);
// The same with the top Via already parsed (by validate_request), so it is not parsed twice.
// `top` must have been parsed from `request`'s top Via as it is now: its views locate the
// parameters to replace.
void stamp_top_via(Message& request, const Via& top, std::string_view source_address,
                   std::uint16_t source_port);

// Writes a new header line holding `value` before the first header with that id (for Via,
// Record-Route: the top of the list), or at the end when there is none.
void prepend_value(Message& message, HeaderId id, std::string_view value);

// Removes the first value of the first header with that id: the top Via of a response a
// proxy forwards (RFC 3261 §16.7 step 3), the Route a loose router consumed (§16.4). A line
// that held several values keeps the others. Returns false when there was none.
bool remove_first_value(Message& message, HeaderId id);

} // namespace starling::sip
