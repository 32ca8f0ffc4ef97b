// libFuzzer target: the TTL reader of DNS responses (what any DNS server, or anyone who can
// spoof one, sends to the SIP locator).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "net/dns_answer_ttl.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const unsigned char> response{data, size};
  const auto ttl = starling::net::smallest_answer_ttl(response);
  // RFC 2181 §8: a TTL with the top bit set counts as 0, so none exceeds 2^31 - 1.
  if (ttl && *ttl > 0x7fffffffU) {
    std::abort();
  }
  // A DNS header is 12 bytes; nothing shorter has answers.
  if (ttl && size < 12) {
    std::abort();
  }
  return 0;
}
