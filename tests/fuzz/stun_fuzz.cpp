// libFuzzer target: the STUN Binding response parser (what a STUN server, or anyone who can
// reach the client's port, sends back).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "net/stun_message.h"

namespace {

using namespace starling::net;

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> datagram{data, size};
  // The input's own transaction id, so the fuzzer gets past the transaction check to the
  // attributes; and a fixed one, which must never match something else.
  StunTransactionId own{};
  if (size >= kStunHeaderSize) {
    std::copy_n(data + 8, own.size(), own.begin());
  }
  const auto parsed = parse_stun_binding_response(datagram, own);
  if (parsed) {
    check(size >= kStunHeaderSize && (size - kStunHeaderSize) % 4 == 0);
    const auto again = parse_stun_binding_response(datagram, own);
    check(again && again->address == parsed->address && again->port == parsed->port);
  } else {
    check(!parsed.error().reason.empty());
    if (parsed.error().kind == StunParseErrorKind::error_response &&
        parsed.error().error_code != 0) {
      check(parsed.error().error_code >= 300 && parsed.error().error_code <= 699);
    }
  }
  StunTransactionId other = own;
  other[0] = static_cast<std::uint8_t>(other[0] ^ 0x80U);
  const auto foreign = parse_stun_binding_response(datagram, other);
  check(!foreign);
  if (parsed || parsed.error().kind != StunParseErrorKind::malformed) {
    check(foreign.error().kind == StunParseErrorKind::foreign_transaction);
  }
  return 0;
}
