// Size limits the SIP parser enforces before it stores anything, each with its reason.
#pragma once

#include <cstddef>
#include <cstdint>

namespace starling::sip {

// A UDP datagram cannot carry more than 65,535 octets; TCP/TLS peers get the same bound so a
// stream peer cannot make us buffer without limit (RFC 3261 §18.1.1 keeps requests small).
inline constexpr std::size_t kMaxMessageSize = 65535;

// Real phones send 10–30 header fields; 256 leaves room for long Via/Record-Route chains
// while bounding the per-message header table.
inline constexpr std::size_t kMaxHeaderCount = 256;

// One header line, folded continuation lines included. RFC 4475 longreq has lines of ~600
// octets; 8 KiB allows big Identity or Authorization values and still stops abuse.
inline constexpr std::size_t kMaxLineLength = 8192;

// RFC 3261 §8.1.1.5: the CSeq sequence number MUST be less than 2**31.
inline constexpr std::uint32_t kMaxCSeqNumber = 2147483647U;

// RFC 3261 §20.22: Max-Forwards is an integer in the range 0–255.
inline constexpr std::uint32_t kMaxMaxForwards = 255;

// RFC 3261 §8.1.1.6: a UAC SHOULD use 70; a proxy adds 70 where the header is absent (§16.6).
inline constexpr std::uint32_t kDefaultMaxForwards = 70;

// RFC 3261 §20.19/§25: delta-seconds (Expires, expires=, Retry-After) fit in 32 bits.
inline constexpr std::uint64_t kMaxDeltaSeconds = 4294967295U;

// Parameters per URI, Via or header value; more is an attack, not a phone.
inline constexpr std::size_t kMaxParamCount = 64;

} // namespace starling::sip
