#include <vector>

#include <gtest/gtest.h>

#include "net/naptr_selection.h"

namespace starling::net {
namespace {

constexpr std::size_t kNoLimit = 100;

TEST(NaptrSelection, OrdersByOrderThenPreference) {
  const std::vector<NaptrRecord> records{
      {20, 10, "s", "SIP+D2U", "", "_sip._udp.example.com"},
      {10, 20, "s", "SIP+D2T", "", "_sip._tcp.example.com"},
      {10, 10, "s", "SIPS+D2T", "", "_sips._tcp.example.com"},
  };
  EXPECT_EQ(select_naptr_services(records, false, kNoLimit),
            (std::vector<NaptrService>{{SipTransport::tls, "_sips._tcp.example.com"},
                                       {SipTransport::tcp, "_sip._tcp.example.com"},
                                       {SipTransport::udp, "_sip._udp.example.com"}}));
}

TEST(NaptrSelection, DiscardsTransportsStarlingDoesNotSpeak) {
  const std::vector<NaptrRecord> records{
      {10, 10, "s", "SIP+D2S", "", "_sip._sctp.example.com"},
      {10, 20, "s", "SIPS+D2S", "", "_sips._sctp.example.com"},
      {10, 30, "s", "E2U+sip", "", "_sip._udp.example.com"},
      {20, 10, "s", "SIP+D2U", "", "_sip._udp.example.com"},
  };
  EXPECT_EQ(select_naptr_services(records, false, kNoLimit),
            (std::vector<NaptrService>{{SipTransport::udp, "_sip._udp.example.com"}}));
}

TEST(NaptrSelection, KeepsOnlySipsOverTcpForASipsUri) {
  const std::vector<NaptrRecord> records{
      {10, 10, "s", "SIP+D2U", "", "_sip._udp.example.com"},
      {20, 10, "s", "SIPS+D2T", "", "_sips._tcp.example.com"},
  };
  EXPECT_EQ(select_naptr_services(records, true, kNoLimit),
            (std::vector<NaptrService>{{SipTransport::tls, "_sips._tcp.example.com"}}));
}

TEST(NaptrSelection, FollowsOnlyTerminalSRecordsWithAReplacement) {
  const std::vector<NaptrRecord> records{
      {10, 10, "a", "SIP+D2T", "", "sip.example.com"},
      {10, 20, "", "SIP+D2T", "", "_sip._tcp.other.example.com"},
      {10, 30, "s", "SIP+D2T", "!^.*$!_sip._tcp.example.com!", ""},
      {10, 40, "s", "SIP+D2T", "", "."},
      {10, 50, "S", "sip+d2t", "", "_sip._tcp.example.com"},
  };
  EXPECT_EQ(select_naptr_services(records, false, kNoLimit),
            (std::vector<NaptrService>{{SipTransport::tcp, "_sip._tcp.example.com"}}));
}

TEST(NaptrSelection, DropsDuplicatesAndStopsAtTheLimit) {
  const std::vector<NaptrRecord> records{
      {10, 10, "s", "SIP+D2U", "", "_sip._udp.a.example.com"},
      {10, 10, "s", "SIP+D2U", "", "_sip._udp.a.example.com"},
      {10, 20, "s", "SIP+D2U", "", "_sip._udp.b.example.com"},
      {10, 30, "s", "SIP+D2U", "", "_sip._udp.c.example.com"},
  };
  EXPECT_EQ(select_naptr_services(records, false, 2),
            (std::vector<NaptrService>{{SipTransport::udp, "_sip._udp.a.example.com"},
                                       {SipTransport::udp, "_sip._udp.b.example.com"}}));
}

TEST(NaptrSelection, YieldsNothingWhenNoRecordFits) {
  EXPECT_TRUE(select_naptr_services({}, false, kNoLimit).empty());
  EXPECT_TRUE(
      select_naptr_services({{10, 10, "u", "E2U+sip", "!^.*$!sip:a@b!", ""}}, false, kNoLimit)
          .empty());
}

} // namespace
} // namespace starling::net
