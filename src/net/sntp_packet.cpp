// SNTP (RFC 4330) packets: the client request and the server's answer, and the clock offset.
#include "net/sntp_packet.h"

#include <fmt/format.h>

namespace starling::net {
namespace {

using std::chrono::nanoseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// 1900-01-01 to 1970-01-01, the Unix epoch.
constexpr std::int64_t kNtpToUnixSeconds = 2'208'988'800;
constexpr std::int64_t kEraSeconds = std::int64_t{1} << 32;
constexpr std::uint32_t kEraPivot = 0x8000'0000U;
constexpr std::uint8_t kVersion = 4;
constexpr std::uint8_t kModeClient = 3;
constexpr std::uint8_t kModeServer = 4;
constexpr unsigned kLeapAlarm = 3;
constexpr std::size_t kReferenceIdOffset = 12;
constexpr std::size_t kOriginateOffset = 24;
constexpr std::size_t kReceiveOffset = 32;
constexpr std::size_t kTransmitOffset = 40;

std::uint32_t read_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24U) | (std::uint32_t{bytes[at + 1]} << 16U) |
         (std::uint32_t{bytes[at + 2]} << 8U) | std::uint32_t{bytes[at + 3]};
}

NtpTimestamp read_timestamp(std::span<const std::uint8_t> bytes, std::size_t at) {
  return {read_u32(bytes, at), read_u32(bytes, at + 4)};
}

void write_u32(SntpPacket& packet, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) {
    packet[at + i] = static_cast<std::uint8_t>(value >> (24U - 8U * i));
  }
}

SntpError error(SntpErrorKind kind, std::string reason) {
  return {kind, std::move(reason)};
}

// The reference id of a kiss-o'-death packet is four ASCII characters (RFC 4330 §8).
std::string kiss_code(std::span<const std::uint8_t> bytes) {
  std::string code;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto c = static_cast<char>(bytes[kReferenceIdOffset + i]);
    code += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return code;
}

} // namespace

NtpTimestamp to_ntp_time(system_clock::time_point time) {
  const auto since_unix = std::chrono::duration_cast<nanoseconds>(time.time_since_epoch());
  const auto whole = std::chrono::floor<seconds>(since_unix);
  const auto rest = (since_unix - whole).count(); // 0 .. 999'999'999
  const std::int64_t ntp_seconds = whole.count() + kNtpToUnixSeconds;
  const auto fraction =
      static_cast<std::uint32_t>((static_cast<std::uint64_t>(rest) << 32U) / 1'000'000'000ULL);
  return {static_cast<std::uint32_t>(ntp_seconds % kEraSeconds), fraction};
}

system_clock::time_point from_ntp_time(NtpTimestamp timestamp) {
  std::int64_t ntp_seconds = timestamp.seconds;
  if (timestamp.seconds < kEraPivot) {
    ntp_seconds += kEraSeconds;
  }
  const auto fraction_ns = static_cast<std::int64_t>(
      (static_cast<std::uint64_t>(timestamp.fraction) * 1'000'000'000ULL) >> 32U);
  const nanoseconds since_unix =
      seconds(ntp_seconds - kNtpToUnixSeconds) + nanoseconds(fraction_ns);
  return system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(since_unix));
}

SntpPacket encode_sntp_request(NtpTimestamp transmit) {
  SntpPacket packet{};
  packet[0] = static_cast<std::uint8_t>((kVersion << 3U) | kModeClient); // LI 0
  write_u32(packet, kTransmitOffset, transmit.seconds);
  write_u32(packet, kTransmitOffset + 4, transmit.fraction);
  return packet;
}

std::expected<SntpResponse, SntpError> parse_sntp_response(std::span<const std::uint8_t> datagram,
                                                           NtpTimestamp request_transmit) {
  if (datagram.size() < kSntpPacketSize) {
    return std::unexpected(error(SntpErrorKind::malformed,
                                 fmt::format("{} octets, shorter than the {} of an NTP packet",
                                             datagram.size(), kSntpPacketSize)));
  }
  SntpResponse response;
  response.leap_indicator = datagram[0] >> 6U;
  response.version = (datagram[0] >> 3U) & 0x7U;
  const unsigned mode = datagram[0] & 0x7U;
  response.stratum = datagram[1];
  response.originate = read_timestamp(datagram, kOriginateOffset);
  response.receive = read_timestamp(datagram, kReceiveOffset);
  response.transmit = read_timestamp(datagram, kTransmitOffset);
  // RFC 4330 §5: mode 4, version 1 to 4 (servers answer in the request's version or older).
  if (mode != kModeServer) {
    return std::unexpected(
        error(SntpErrorKind::malformed, fmt::format("mode {}, expected 4 (server)", mode)));
  }
  if (response.version < 1 || response.version > kVersion) {
    return std::unexpected(error(SntpErrorKind::malformed,
                                 fmt::format("NTP version {}, expected 1 to 4", response.version)));
  }
  if (response.originate != request_transmit) {
    return std::unexpected(error(SntpErrorKind::foreign_transaction,
                                 "the originate timestamp is not that of our request"));
  }
  if (response.stratum == 0) {
    return std::unexpected(error(SntpErrorKind::kiss_of_death,
                                 fmt::format("kiss-o'-death \"{}\"", kiss_code(datagram))));
  }
  if (response.leap_indicator == kLeapAlarm) {
    return std::unexpected(
        error(SntpErrorKind::unsynchronized, "the server's clock is not synchronized"));
  }
  if (response.transmit == NtpTimestamp{}) {
    return std::unexpected(error(SntpErrorKind::malformed, "zero transmit timestamp"));
  }
  return response;
}

ClockSample clock_sample(system_clock::time_point sent, const SntpResponse& response,
                         system_clock::time_point received) {
  const auto t1 = sent;
  const auto t2 = from_ntp_time(response.receive);
  const auto t3 = from_ntp_time(response.transmit);
  const auto t4 = received;
  const auto offset = ((t2 - t1) + (t3 - t4)) / 2;
  const auto delay = (t4 - t1) - (t3 - t2);
  return {std::chrono::duration_cast<nanoseconds>(offset),
          std::chrono::duration_cast<nanoseconds>(delay)};
}

} // namespace starling::net
