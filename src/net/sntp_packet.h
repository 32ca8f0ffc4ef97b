// SNTP (RFC 4330) packets: the client request and the server's answer, and the clock offset.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <expected>
#include <span>
#include <string>

namespace starling::net {

inline constexpr std::size_t kSntpPacketSize = 48; // RFC 4330 §4, without the optional fields
inline constexpr std::uint16_t kNtpDefaultPort = 123;

// RFC 4330 §3: seconds since 1900-01-01 and a binary fraction of a second.
struct NtpTimestamp {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;
  friend bool operator==(const NtpTimestamp&, const NtpTimestamp&) = default;
};

// Timestamps with the top bit clear are taken as after 2036 (era 1), per RFC 4330 §3, so
// this works until 2104.
[[nodiscard]] NtpTimestamp to_ntp_time(std::chrono::system_clock::time_point time);
[[nodiscard]] std::chrono::system_clock::time_point from_ntp_time(NtpTimestamp timestamp);

using SntpPacket = std::array<std::uint8_t, kSntpPacketSize>;

// A client request (version 4, mode 3) whose Transmit Timestamp is `transmit`; the server
// copies it into the answer's Originate Timestamp, which ties the answer to the request.
[[nodiscard]] SntpPacket encode_sntp_request(NtpTimestamp transmit);

struct SntpResponse {
  unsigned leap_indicator = 0;
  unsigned version = 0;
  unsigned stratum = 0;
  NtpTimestamp originate; // T1, ours
  NtpTimestamp receive;   // T2, the server's clock when the request arrived
  NtpTimestamp transmit;  // T3, the server's clock when the answer left
};

enum class SntpErrorKind {
  malformed,           // too short, wrong mode or version, zero transmit time
  foreign_transaction, // an answer to another request (or a forgery)
  kiss_of_death,       // stratum 0: the server says go away (RFC 4330 §8)
  unsynchronized,      // leap indicator 3: the server's own clock is not set
};

struct SntpError {
  SntpErrorKind kind = SntpErrorKind::malformed;
  std::string reason;
};

// Checks an answer to the request that carried `request_transmit` (RFC 4330 §5).
[[nodiscard]] std::expected<SntpResponse, SntpError>
parse_sntp_response(std::span<const std::uint8_t> datagram, NtpTimestamp request_transmit);

struct ClockSample {
  std::chrono::nanoseconds offset; // add to the local clock to get the server's time
  std::chrono::nanoseconds delay;  // round trip, without the server's processing time
};

// RFC 4330 §5: offset = ((T2 - T1) + (T3 - T4)) / 2, delay = (T4 - T1) - (T3 - T2), with T1
// and T4 read from the local clock when the request left and the answer arrived.
[[nodiscard]] ClockSample clock_sample(std::chrono::system_clock::time_point sent,
                                       const SntpResponse& response,
                                       std::chrono::system_clock::time_point received);

} // namespace starling::net
