// Responses the transaction layer sends without a transaction: the 503 that sheds load.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "sip/message.h"

namespace starling::sip {

// A To tag for a stateless response, the same for every retransmission of the request
// (RFC 3261 §8.2.7: a stateless UAS must give retransmissions the same tag).
std::string stateless_to_tag(const Message& request);

// RFC 3261 §21.5.4 503 Service Unavailable built as §8.2.6 says, with Retry-After
// (§20.33) so that clients back off instead of retrying at once.
std::string build_overload_response(const Message& request, std::chrono::seconds retry_after);

} // namespace starling::sip
