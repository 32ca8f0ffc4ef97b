// Tests of parse_sdp (RFC 8866) and the hold rules of RFC 3264 §8.4.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "media/sdp.h"

namespace starling::media {
namespace {

// An offer as baresip 2.x sends it, with ICE enabled.
constexpr std::string_view kBaresipOffer = "v=0\r\n"
                                           "o=- 1387564736 1987298745 IN IP4 192.168.1.23\r\n"
                                           "s=-\r\n"
                                           "c=IN IP4 192.168.1.23\r\n"
                                           "t=0 0\r\n"
                                           "a=tool:baresip 2.0.0\r\n"
                                           "a=ice-options:trickle\r\n"
                                           "m=audio 10036 RTP/AVP 96 9 0 8 101\r\n"
                                           "b=AS:64\r\n"
                                           "a=rtpmap:96 opus/48000/2\r\n"
                                           "a=fmtp:96 stereo=1;sprop-stereo=1\r\n"
                                           "a=rtpmap:9 G722/8000\r\n"
                                           "a=rtpmap:0 PCMU/8000\r\n"
                                           "a=rtpmap:8 PCMA/8000\r\n"
                                           "a=rtpmap:101 telephone-event/8000\r\n"
                                           "a=fmtp:101 0-15\r\n"
                                           "a=ptime:20\r\n"
                                           "a=rtcp:10037\r\n"
                                           "a=sendrecv\r\n"
                                           "a=ice-ufrag:Xr4z\r\n"
                                           "a=ice-pwd:a8dFw0pe1b2k4m6n8q0s2u\r\n"
                                           "a=candidate:1 1 UDP 2130706431 192.168.1.23 10036 typ "
                                           "host\r\n"
                                           "a=candidate:1 2 UDP 2130706430 192.168.1.23 10037 typ "
                                           "host\r\n";

std::string lf_only(std::string_view crlf_text) {
  std::string text;
  for (const char c : crlf_text) {
    if (c != '\r') {
      text += c;
    }
  }
  return text;
}

TEST(SdpParser, ParsesBaresipOffer) {
  const auto sdp = parse_sdp(kBaresipOffer);
  ASSERT_TRUE(sdp) << describe(sdp.error());
  EXPECT_EQ(sdp->text, kBaresipOffer);
  ASSERT_TRUE(sdp->origin);
  EXPECT_EQ(sdp->origin->username, "-");
  EXPECT_EQ(sdp->origin->session_id, "1387564736");
  EXPECT_EQ(sdp->origin->session_version, "1987298745");
  EXPECT_EQ(sdp->origin->address, "192.168.1.23");
  EXPECT_EQ(sdp->session_name, "-");
  EXPECT_EQ(sdp->connection_address, "192.168.1.23");
  ASSERT_EQ(sdp->media.size(), 1U);
  const SdpMedia& audio = sdp->media[0];
  EXPECT_EQ(audio.type, "audio");
  EXPECT_EQ(audio.port, 10036);
  EXPECT_EQ(audio.protocol, "RTP/AVP");
  EXPECT_EQ(audio.formats, (std::vector<std::string_view>{"96", "9", "0", "8", "101"}));
  EXPECT_EQ(audio.connection_address, "192.168.1.23");
  EXPECT_FALSE(audio.ipv6);
  EXPECT_EQ(audio.rtcp_port, 10037);
  EXPECT_TRUE(audio.rtcp_address.empty());
  EXPECT_EQ(audio.direction, MediaDirection::sendrecv);
  EXPECT_EQ(audio.line, 8U);
  EXPECT_EQ(audio.attribute("ptime"), "20");
  EXPECT_FALSE(sdp->is_hold());
}

TEST(SdpParser, KeepsTelephoneEventFormats) {
  const auto sdp = parse_sdp(kBaresipOffer);
  ASSERT_TRUE(sdp);
  const SdpMedia& audio = sdp->media[0];
  EXPECT_EQ(audio.formats.back(), "101");
  std::vector<std::string_view> rtpmaps;
  for (const SdpAttribute& a : audio.attributes) {
    if (a.name == "rtpmap") {
      rtpmaps.push_back(a.value);
    }
  }
  EXPECT_EQ(rtpmaps.back(), "101 telephone-event/8000");
}

TEST(SdpParser, AcceptsLfOnlyLineEndsTrailingWhiteSpaceAndNoFinalLineEnd) {
  const auto sdp = parse_sdp("v=0\n"
                             "o=- 1 1 IN IP4 10.0.0.1  \n"
                             "s=call\t\n"
                             "c=IN IP4 10.0.0.1 \r\n"
                             "t=0 0\n"
                             "\n"
                             "m=audio 4000 RTP/AVP 0 \n"
                             "a=sendonly");
  ASSERT_TRUE(sdp) << describe(sdp.error());
  EXPECT_EQ(sdp->session_name, "call");
  ASSERT_EQ(sdp->media.size(), 1U);
  EXPECT_EQ(sdp->media[0].connection_address, "10.0.0.1");
  EXPECT_EQ(sdp->media[0].formats, (std::vector<std::string_view>{"0"}));
  EXPECT_EQ(sdp->media[0].direction, MediaDirection::sendonly);
}

TEST(SdpParser, IgnoresUnknownLineTypesAndAttributes) {
  const auto sdp = parse_sdp("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n"
                             "t=0 0\r\nx=vendor extension\r\nz=0 0\r\n"
                             "m=audio 4000 RTP/AVP 0\r\na=X-nat:0\r\na=\r\ny=0123456789\r\n");
  ASSERT_TRUE(sdp) << describe(sdp.error());
  ASSERT_EQ(sdp->media.size(), 1U);
  EXPECT_EQ(sdp->media[0].attribute("X-nat"), "0");
}

TEST(SdpParser, PrefersMediaLevelConnectionOverSessionLevel) {
  const auto sdp = parse_sdp("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n"
                             "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 10.0.0.2\r\n"
                             "m=video 4002 RTP/AVP 96\r\n");
  ASSERT_TRUE(sdp);
  ASSERT_EQ(sdp->media.size(), 2U);
  EXPECT_EQ(sdp->media[0].connection_address, "10.0.0.2");
  EXPECT_EQ(sdp->media[1].connection_address, "10.0.0.1");
}

TEST(SdpParser, AcceptsConnectionOnlyAtMediaLevel) {
  const auto sdp = parse_sdp("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"
                             "m=audio 4000 RTP/AVP 0\r\nc=IN IP4 10.0.0.2\r\n");
  ASSERT_TRUE(sdp);
  EXPECT_TRUE(sdp->connection_address.empty());
  EXPECT_EQ(sdp->media[0].connection_address, "10.0.0.2");
}

TEST(SdpParser, PrefersMediaLevelDirectionOverSessionLevel) {
  const auto sdp = parse_sdp("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n"
                             "t=0 0\r\na=recvonly\r\nm=audio 4000 RTP/AVP 0\r\na=inactive\r\n"
                             "m=video 4002 RTP/AVP 96\r\n");
  ASSERT_TRUE(sdp);
  EXPECT_EQ(sdp->direction, MediaDirection::recvonly);
  EXPECT_EQ(sdp->media[0].direction, MediaDirection::inactive);
  EXPECT_EQ(sdp->media[1].direction, MediaDirection::recvonly);
}

TEST(SdpParser, DefaultsToSendrecvWithoutDirectionAttributes) {
  const auto sdp = parse_sdp(
      "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 "
      "RTP/AVP 0\r\n");
  ASSERT_TRUE(sdp);
  EXPECT_FALSE(sdp->direction);
  EXPECT_EQ(sdp->media[0].direction, MediaDirection::sendrecv);
}

std::string two_streams(std::string_view audio_extra, std::string_view video_extra,
                        std::string_view address = "10.0.0.1") {
  std::string text = "v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 ";
  text += address;
  text += "\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\n";
  text += audio_extra;
  text += "m=video 4002 RTP/AVP 96\r\n";
  text += video_extra;
  return text;
}

TEST(SdpHold, SendonlyOnEveryStreamIsHold) {
  const std::string text = two_streams("a=sendonly\r\n", "a=sendonly\r\n");
  const auto sdp = parse_sdp(text);
  ASSERT_TRUE(sdp);
  EXPECT_TRUE(sdp->is_hold());
}

TEST(SdpHold, SessionLevelInactiveIsHold) {
  const auto sdp = parse_sdp("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n"
                             "t=0 0\r\na=inactive\r\nm=audio 4000 RTP/AVP 0\r\n");
  ASSERT_TRUE(sdp);
  EXPECT_TRUE(sdp->media[0].is_hold());
  EXPECT_TRUE(sdp->is_hold());
}

TEST(SdpHold, ZeroConnectionAddressIsOldStyleHold) {
  const std::string text = two_streams("", "", "0.0.0.0");
  const auto sdp = parse_sdp(text);
  ASSERT_TRUE(sdp) << describe(sdp.error());
  EXPECT_EQ(sdp->media[0].connection_address, "0.0.0.0");
  EXPECT_EQ(sdp->media[0].direction, MediaDirection::sendrecv);
  EXPECT_TRUE(sdp->is_hold());
}

TEST(SdpHold, OneStreamStillSendingIsNoHold) {
  const std::string text = two_streams("a=sendonly\r\n", "");
  const auto sdp = parse_sdp(text);
  ASSERT_TRUE(sdp);
  EXPECT_TRUE(sdp->media[0].is_hold());
  EXPECT_FALSE(sdp->is_hold());
}

TEST(SdpHold, RecvonlyIsNoHold) {
  const std::string text = two_streams("a=recvonly\r\n", "a=recvonly\r\n");
  const auto sdp = parse_sdp(text);
  ASSERT_TRUE(sdp);
  EXPECT_FALSE(sdp->is_hold());
}

TEST(SdpHold, RejectedStreamsDoNotCount) {
  const auto sdp = parse_sdp("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n"
                             "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n"
                             "m=video 0 RTP/AVP 96\r\n");
  ASSERT_TRUE(sdp);
  EXPECT_TRUE(sdp->media[1].rejected());
  EXPECT_TRUE(sdp->is_hold());
}

TEST(SdpHold, NoActiveStreamIsNoHold) {
  const auto sdp = parse_sdp(
      "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\na=inactive\r\n");
  ASSERT_TRUE(sdp);
  EXPECT_FALSE(sdp->is_hold());
}

TEST(SdpParser, ParsesIpv6Connection) {
  const auto sdp = parse_sdp("v=0\r\no=- 1 1 IN IP6 2001:db8::23\r\ns=-\r\n"
                             "c=IN IP6 2001:db8::23\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n");
  ASSERT_TRUE(sdp) << describe(sdp.error());
  EXPECT_TRUE(sdp->ipv6);
  EXPECT_EQ(sdp->origin->addrtype, "IP6");
  EXPECT_EQ(sdp->media[0].connection_address, "2001:db8::23");
  EXPECT_TRUE(sdp->media[0].ipv6);
}

TEST(SdpParser, ParsesRtcpWithAndWithoutAddress) {
  const std::string text = two_streams("a=rtcp:53020\r\n", "a=rtcp:53021 IN IP6 2001:db8::4\r\n");
  const auto sdp = parse_sdp(text);
  ASSERT_TRUE(sdp) << describe(sdp.error());
  EXPECT_EQ(sdp->media[0].rtcp_port, 53020);
  EXPECT_TRUE(sdp->media[0].rtcp_address.empty());
  EXPECT_EQ(sdp->media[1].rtcp_port, 53021);
  EXPECT_EQ(sdp->media[1].rtcp_address, "2001:db8::4");
}

TEST(SdpParser, LeavesRtcpPortUnsetWithoutAttribute) {
  const std::string text = two_streams("", "");
  const auto sdp = parse_sdp(text);
  ASSERT_TRUE(sdp);
  EXPECT_FALSE(sdp->media[0].rtcp_port);
}

TEST(SdpParser, AcceptsRejectedStreamWithoutConnectionOrFormats) {
  const auto sdp =
      parse_sdp("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"
                "m=audio 4000 RTP/AVP 0\r\nc=IN IP4 10.0.0.2\r\nm=video 0 RTP/AVP\r\n");
  ASSERT_TRUE(sdp) << describe(sdp.error());
  EXPECT_TRUE(sdp->media[1].rejected());
  EXPECT_TRUE(sdp->media[1].formats.empty());
  EXPECT_TRUE(sdp->media[1].connection_address.empty());
}

TEST(SdpParser, ParsesOriginWithSpacesInUsername) {
  const auto sdp = parse_sdp("v=0\r\no=Yealink SIP-T46S 1 2 IN IP4 10.0.0.9\r\ns=-\r\nt=0 0\r\n");
  ASSERT_TRUE(sdp);
  EXPECT_EQ(sdp->origin->username, "Yealink SIP-T46S");
  EXPECT_EQ(sdp->origin->session_version, "2");
  EXPECT_EQ(sdp->origin->address, "10.0.0.9");
}

TEST(SdpParser, ParsesPortCountAndMulticastTtl) {
  const auto sdp = parse_sdp("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 224.2.1.1/127\r\n"
                             "t=0 0\r\nm=video 49170/2 RTP/AVP 31\r\n");
  ASSERT_TRUE(sdp) << describe(sdp.error());
  EXPECT_EQ(sdp->media[0].port, 49170);
  EXPECT_EQ(sdp->media[0].port_count, 2);
  EXPECT_EQ(sdp->media[0].connection_address, "224.2.1.1");
}

void expect_error(std::string_view text, std::string_view reason, std::size_t line) {
  const auto sdp = parse_sdp(text);
  ASSERT_FALSE(sdp) << text;
  EXPECT_EQ(sdp.error().reason, reason) << text;
  EXPECT_EQ(sdp.error().line, line) << text;
}

TEST(SdpParserErrors, RejectsMissingVersionLine) {
  expect_error("o=- 1 1 IN IP4 10.0.0.1\r\nv=0\r\n", "missing v=0 first line", 1);
  expect_error("v=1\r\n", "missing v=0 first line", 1);
  expect_error("", "missing v=0 first line", 0);
}

TEST(SdpParserErrors, NamesTheMalformedMediaLine) {
  const std::string text = two_streams("", "") + "m=audio\r\n";
  expect_error(text, "malformed m= line", 8);
  expect_error(two_streams("", "") + "m=audio 4x RTP/AVP 0\r\n", "malformed port", 8);
  expect_error(two_streams("", "") + "m=audio 4000 RTP/AVP\r\n", "m= line without formats", 8);
}

TEST(SdpParserErrors, RejectsPortsAbove65535) {
  expect_error(two_streams("", "") + "m=audio 65536 RTP/AVP 0\r\n", "port out of range", 8);
  expect_error(two_streams("a=rtcp:99999\r\n", ""), "port out of range", 7);
}

TEST(SdpParserErrors, RejectsActiveStreamWithoutConnectionAddress) {
  const auto sdp =
      parse_sdp("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n");
  ASSERT_FALSE(sdp);
  EXPECT_EQ(sdp.error().line, 5U);
  EXPECT_EQ(sdp.error().text, "m=audio 4000 RTP/AVP 0");
  EXPECT_EQ(describe(sdp.error()),
            "line 5: missing connection address for media (m=audio 4000 RTP/AVP 0)");
}

TEST(SdpParserErrors, RejectsMalformedConnectionAndOrigin) {
  expect_error("v=0\r\nc=IN IP4\r\n", "malformed c= line", 2);
  expect_error("v=0\r\nc=IN IP5 10.0.0.1\r\n", "unsupported address type", 2);
  expect_error("v=0\r\nc=ATM NSAP 47.0005\r\n", "unsupported network type", 2);
  expect_error("v=0\r\nc=IN IP4 10.0.0.1;x\r\n", "malformed connection address", 2);
  expect_error("v=0\r\no=1 1 IN IP4 10.0.0.1\r\n", "malformed o= line", 2);
}

TEST(SdpParserErrors, RejectsBareCarriageReturnInsideLine) {
  // Another parser would read "c=IN IP4 192.0.2.66" as a line of its own.
  expect_error(two_streams("a=x\rc=IN IP4 192.0.2.66\r\n", ""), "CR or NUL inside a line", 7);
}

TEST(SdpParserErrors, RejectsLinesThatAreNotTypeEqualsValue) {
  expect_error("v=0\r\nhello\r\n", "malformed line", 2);
  expect_error("v=0\r\n a=sendrecv\r\n", "malformed line", 2);
}

TEST(SdpParserErrors, RejectsMoreMediaLinesThanTheLimit) {
  std::string text = "v=0\r\nc=IN IP4 10.0.0.1\r\n";
  for (std::size_t i = 0; i <= kMaxMediaDescriptions; ++i) {
    text += "m=audio 4000 RTP/AVP 0\r\n";
  }
  expect_error(text, "too many m= lines", kMaxMediaDescriptions + 3);
}

TEST(SdpParserErrors, RejectsSdpLargerThanTheLimit) {
  std::string text = two_streams("", "");
  while (text.size() <= kMaxSdpSize) {
    text += "a=padding:0123456789012345678901234567890123456789\r\n";
  }
  expect_error(text, "SDP larger than 16 KiB", 0);
}

TEST(SdpParser, ParsesLfOnlyCopyOfBaresipOfferAlike) {
  const std::string text = lf_only(kBaresipOffer);
  const auto lf = parse_sdp(text);
  const auto crlf = parse_sdp(kBaresipOffer);
  ASSERT_TRUE(lf);
  ASSERT_TRUE(crlf);
  EXPECT_EQ(lf->media[0].formats, crlf->media[0].formats);
  EXPECT_EQ(lf->media[0].attributes.size(), crlf->media[0].attributes.size());
  EXPECT_EQ(lf->media[0].rtcp_port, crlf->media[0].rtcp_port);
}

} // namespace
} // namespace starling::media
