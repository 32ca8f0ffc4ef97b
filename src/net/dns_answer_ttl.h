// The TTL of a DNS response's answer records (RFC 1035 §4.1), which c-ares 1.18 parses for A and
// AAAA but not for NAPTR and SRV records.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace starling::net {

// The smallest TTL among the answer section's records, in seconds; none when the response is
// malformed or has no answer records. A TTL with the top bit set counts as 0 (RFC 2181 §8).
[[nodiscard]] std::optional<std::uint32_t>
smallest_answer_ttl(std::span<const unsigned char> response);

} // namespace starling::net
