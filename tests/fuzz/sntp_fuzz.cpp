// libFuzzer target: the SNTP answer parser (what an NTP server, or anyone who can reach the
// client's port, sends back).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "net/sntp_packet.h"

namespace {

using namespace starling::net;

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

NtpTimestamp read_originate(const std::uint8_t* data) {
  const auto u32 = [data](std::size_t at) {
    return (std::uint32_t{data[at]} << 24U) | (std::uint32_t{data[at + 1]} << 16U) |
           (std::uint32_t{data[at + 2]} << 8U) | std::uint32_t{data[at + 3]};
  };
  return {u32(24), u32(28)};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> datagram{data, size};
  // The input's own originate timestamp, so the fuzzer gets past the transaction check.
  const NtpTimestamp own = size >= kSntpPacketSize ? read_originate(data) : NtpTimestamp{};
  const auto parsed = parse_sntp_response(datagram, own);
  if (parsed) {
    check(size >= kSntpPacketSize && parsed->stratum != 0 && parsed->leap_indicator != 3);
    check(parsed->originate == own && parsed->version >= 1 && parsed->version <= 4);
    // Any timestamps give a sample without overflow traps (UBSan watches this).
    const auto sample = clock_sample(from_ntp_time(own), *parsed, from_ntp_time(own));
    (void)sample;
  } else {
    check(!parsed.error().reason.empty());
  }
  NtpTimestamp other = own;
  other.fraction ^= 1U;
  const auto foreign = parse_sntp_response(datagram, other);
  check(!foreign);
  return 0;
}
