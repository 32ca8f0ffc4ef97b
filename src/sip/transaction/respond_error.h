// Why a server transaction refused a response from its TU.
#pragma once

#include <cstdint>

namespace starling::sip {

enum class RespondError : std::uint8_t {
  unknown_transaction, // the handle names a transaction that has ended
  not_a_response,      // the bytes are not a parseable SIP response
  invalid_status,      // outside 100–699
  final_response_sent, // a final response was sent already (RFC 3261 §17.2.1, §17.2.2)
};

} // namespace starling::sip
