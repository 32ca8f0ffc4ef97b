#include <gtest/gtest.h>

#include "net/sntp_packet.h"

namespace starling::net {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

// An answer as a server would send it: mode 4, stratum 2, our transmit time as originate.
SntpPacket answer(NtpTimestamp originate, NtpTimestamp receive, NtpTimestamp transmit) {
  SntpPacket packet{};
  packet[0] = (4U << 3U) | 4U;
  packet[1] = 2;
  const auto put = [&packet](std::size_t at, NtpTimestamp value) {
    for (std::size_t i = 0; i < 4; ++i) {
      packet[at + i] = static_cast<std::uint8_t>(value.seconds >> (24U - 8U * i));
      packet[at + 4 + i] = static_cast<std::uint8_t>(value.fraction >> (24U - 8U * i));
    }
  };
  put(24, originate);
  put(32, receive);
  put(40, transmit);
  return packet;
}

TEST(SntpPacket, RequestIsVersion4ClientModeCarryingTheTransmitTime) {
  const auto request = encode_sntp_request({0xE000'0001U, 0x8000'0000U});
  EXPECT_EQ(request[0], 0x23); // LI 0, VN 4, mode 3 (RFC 4330 §5)
  EXPECT_EQ(request[40], 0xE0);
  EXPECT_EQ(request[43], 0x01);
  EXPECT_EQ(request[44], 0x80);
  EXPECT_EQ(request[1], 0);
}

TEST(SntpPacket, NtpTimeRoundTripsAndKnowsTheUnixEpoch) {
  const system_clock::time_point unix_epoch{};
  EXPECT_EQ(to_ntp_time(unix_epoch).seconds, 2'208'988'800U);
  const auto now = system_clock::now();
  const auto back = from_ntp_time(to_ntp_time(now));
  EXPECT_LT(std::chrono::abs(back - now), 1us);
}

TEST(SntpPacket, TimestampsWithTheTopBitClearAreAfter2036) {
  // RFC 4330 §3: era 1 starts 2036-02-07T06:28:16Z.
  const auto era1 = from_ntp_time({0, 0});
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(era1.time_since_epoch()).count(),
            4'294'967'296LL - 2'208'988'800LL);
}

TEST(SntpPacket, OffsetAndDelayFollowRfc4330) {
  const auto t1 = system_clock::now();
  // The server is 2 s ahead; each way takes 10 ms; it answers after 1 ms.
  const auto t2 = t1 + 2s + 10ms;
  const auto t3 = t2 + 1ms;
  const auto t4 = t1 + 21ms;
  const auto request_time = to_ntp_time(t1);
  const auto packet = answer(request_time, to_ntp_time(t2), to_ntp_time(t3));
  const auto parsed = parse_sntp_response(packet, request_time);
  ASSERT_TRUE(parsed) << parsed.error().reason;
  const auto sample = clock_sample(t1, *parsed, t4);
  EXPECT_NEAR(std::chrono::duration<double>(sample.offset).count(), 2.0, 1e-6);
  EXPECT_NEAR(std::chrono::duration<double>(sample.delay).count(), 0.020, 1e-6);
}

TEST(SntpPacket, RejectsAnAnswerToAnotherRequest) {
  const NtpTimestamp ours{0xE000'0000U, 1};
  const auto packet = answer({0xE000'0000U, 2}, ours, ours);
  const auto parsed = parse_sntp_response(packet, ours);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().kind, SntpErrorKind::foreign_transaction);
}

TEST(SntpPacket, ReportsKissOfDeathWithItsCode) {
  const NtpTimestamp ours{0xE000'0000U, 1};
  auto packet = answer(ours, ours, ours);
  packet[1] = 0; // stratum 0
  packet[12] = 'R';
  packet[13] = 'A';
  packet[14] = 'T';
  packet[15] = 'E';
  const auto parsed = parse_sntp_response(packet, ours);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().kind, SntpErrorKind::kiss_of_death);
  EXPECT_NE(parsed.error().reason.find("RATE"), std::string::npos);
}

TEST(SntpPacket, RejectsShortPacketsClientModeAndUnsynchronizedServers) {
  const NtpTimestamp ours{0xE000'0000U, 1};
  auto packet = answer(ours, ours, ours);
  EXPECT_EQ(parse_sntp_response(std::span(packet).first(47), ours).error().kind,
            SntpErrorKind::malformed);
  auto client_mode = packet;
  client_mode[0] = 0x23;
  EXPECT_EQ(parse_sntp_response(client_mode, ours).error().kind, SntpErrorKind::malformed);
  auto alarm = packet;
  alarm[0] = static_cast<std::uint8_t>(alarm[0] | 0xC0U);
  EXPECT_EQ(parse_sntp_response(alarm, ours).error().kind, SntpErrorKind::unsynchronized);
}

} // namespace
} // namespace starling::net
