// Tests of rewrite_for_relay: what the other phone sees of an SDP that went through the relay.
#include <array>
#include <string>

#include <gtest/gtest.h>

#include "media/sdp.h"
#include "media/sdp_rewrite.h"

namespace starling::media {
namespace {

constexpr std::string_view kRelay = "203.0.113.5";

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
                                           "a=rtpmap:101 telephone-event/8000\r\n"
                                           "a=fmtp:101 0-15\r\n"
                                           "a=ptime:20\r\n"
                                           "a=rtcp:10037\r\n"
                                           "a=sendrecv\r\n"
                                           "a=ice-ufrag:Xr4z\r\n"
                                           "a=ice-pwd:a8dFw0pe1b2k4m6n8q0s2u\r\n"
                                           "a=candidate:1 1 UDP 2130706431 192.168.1.23 10036 typ "
                                           "host\r\n"
                                           "a=candidate:2 1 UDP 1694498815 198.51.100.7 61000 typ "
                                           "srflx raddr 192.168.1.23 rport 10036\r\n"
                                           "a=end-of-candidates\r\n";

// A desk phone's offer (Polycom/Yealink style): audio and video, media-level c= lines.
constexpr std::string_view kDeskPhoneOffer = "v=0\r\n"
                                             "o=- 1712 1712 IN IP4 10.1.2.3\r\n"
                                             "s=Polycom IP Phone\r\n"
                                             "c=IN IP4 10.1.2.3\r\n"
                                             "t=0 0\r\n"
                                             "m=audio 2222 RTP/AVP 9 0 8 101\r\n"
                                             "c=IN IP4 10.1.2.3\r\n"
                                             "a=rtpmap:9 G722/8000\r\n"
                                             "a=rtpmap:101 telephone-event/8000\r\n"
                                             "a=fmtp:101 0-15\r\n"
                                             "a=sendrecv\r\n"
                                             "m=video 2224 RTP/AVP 109\r\n"
                                             "a=rtpmap:109 H264/90000\r\n"
                                             "a=fmtp:109 profile-level-id=42E01F\r\n"
                                             "a=sendrecv\r\n";

SessionDescription parsed(std::string_view text) {
  auto sdp = parse_sdp(text);
  EXPECT_TRUE(sdp) << describe(sdp.error());
  return sdp ? *sdp : SessionDescription{};
}

std::string rewrite(std::string_view text, std::span<const RelayedStream> streams,
                    std::string_view address = kRelay) {
  return rewrite_for_relay(parsed(text), address, streams);
}

TEST(SdpRewrite, PointsBaresipOfferAtRelayAndDropsIce) {
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  EXPECT_EQ(rewrite(kBaresipOffer, streams), "v=0\r\n"
                                             "o=- 1387564736 1987298745 IN IP4 203.0.113.5\r\n"
                                             "s=-\r\n"
                                             "c=IN IP4 203.0.113.5\r\n"
                                             "t=0 0\r\n"
                                             "a=tool:baresip 2.0.0\r\n"
                                             "m=audio 30000 RTP/AVP 96 9 0 8 101\r\n"
                                             "b=AS:64\r\n"
                                             "a=rtpmap:96 opus/48000/2\r\n"
                                             "a=fmtp:96 stereo=1;sprop-stereo=1\r\n"
                                             "a=rtpmap:9 G722/8000\r\n"
                                             "a=rtpmap:101 telephone-event/8000\r\n"
                                             "a=fmtp:101 0-15\r\n"
                                             "a=ptime:20\r\n"
                                             "a=rtcp:30001\r\n"
                                             "a=sendrecv\r\n");
}

TEST(SdpRewrite, KeepsCodecsTelephoneEventAndFmtpOfEveryStream) {
  const std::array streams{RelayedStream{.rtp_port = 30000}, RelayedStream{.rtp_port = 30002}};
  const std::string out = rewrite(kDeskPhoneOffer, streams);
  EXPECT_EQ(out, "v=0\r\n"
                 "o=- 1712 1712 IN IP4 203.0.113.5\r\n"
                 "s=Polycom IP Phone\r\n"
                 "c=IN IP4 203.0.113.5\r\n"
                 "t=0 0\r\n"
                 "m=audio 30000 RTP/AVP 9 0 8 101\r\n"
                 "c=IN IP4 203.0.113.5\r\n"
                 "a=rtpmap:9 G722/8000\r\n"
                 "a=rtpmap:101 telephone-event/8000\r\n"
                 "a=fmtp:101 0-15\r\n"
                 "a=sendrecv\r\n"
                 "m=video 30002 RTP/AVP 109\r\n"
                 "a=rtpmap:109 H264/90000\r\n"
                 "a=fmtp:109 profile-level-id=42E01F\r\n"
                 "a=sendrecv\r\n");
  const auto again = parse_sdp(out);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->media[0].formats, parsed(kDeskPhoneOffer).media[0].formats);
}

TEST(SdpRewrite, WritesCrlfForLfOnlyInputWithTrailingWhiteSpace) {
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  EXPECT_EQ(rewrite("v=0\no=- 1 1 IN IP4 10.0.0.1\ns=- \nc=IN IP4 10.0.0.1\nt=0 0\n\n"
                    "m=audio 4000 RTP/AVP 0\na=ptime:20",
                    streams),
            "v=0\r\no=- 1 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\n"
            "m=audio 30000 RTP/AVP 0\r\na=ptime:20\r\n");
}

TEST(SdpRewrite, UsesIp6ForAnIpv6RelayAddress) {
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  const std::string out = rewrite("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n"
                                  "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
                                  streams, "2001:db8::5");
  EXPECT_EQ(out, "v=0\r\no=- 1 1 IN IP6 2001:db8::5\r\ns=-\r\nc=IN IP6 2001:db8::5\r\nt=0 0\r\n"
                 "m=audio 30000 RTP/AVP 0\r\n");
  const auto again = parse_sdp(out);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->media[0].ipv6);
}

TEST(SdpRewrite, UsesIp4ForAnIpv6PhoneBehindAnIpv4Relay) {
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  const std::string out =
      rewrite("v=0\r\no=- 1 1 IN IP6 2001:db8::23\r\ns=-\r\nc=IN IP6 2001:db8::23\r\nt=0 0\r\n"
              "m=audio 4000 RTP/AVP 0\r\n",
              streams);
  EXPECT_NE(out.find("c=IN IP4 203.0.113.5\r\n"), std::string::npos);
  EXPECT_EQ(out.find("2001:db8"), std::string::npos);
}

TEST(SdpRewrite, RewritesRtcpPortAndKeepsItsAddressForm) {
  const std::array streams{RelayedStream{.rtp_port = 30000}, RelayedStream{.rtp_port = 30002}};
  const std::string out = rewrite(
      "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
      "m=audio 4000 RTP/AVP 0\r\na=rtcp:4001\r\nm=audio 4002 RTP/AVP 0\r\na=rtcp:5003 IN IP4 "
      "10.0.0.9\r\n",
      streams);
  EXPECT_NE(out.find("m=audio 30000 RTP/AVP 0\r\na=rtcp:30001\r\n"), std::string::npos);
  EXPECT_NE(out.find("m=audio 30002 RTP/AVP 0\r\na=rtcp:30003 IN IP4 203.0.113.5\r\n"),
            std::string::npos);
  EXPECT_EQ(out.find("10.0.0."), std::string::npos);
}

TEST(SdpRewrite, KeepsRtcpOnTheRtpPortForMuxOffers) {
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  const std::string out =
      rewrite("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
              "m=audio 4000 RTP/AVP 0\r\na=rtcp:4000\r\na=rtcp-mux\r\n",
              streams);
  EXPECT_NE(out.find("a=rtcp:30000\r\na=rtcp-mux\r\n"), std::string::npos);
}

TEST(SdpRewrite, AddsNoRtcpAttributeWherePhoneHadNone) {
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  const std::string out = rewrite(kDeskPhoneOffer, streams);
  EXPECT_EQ(out.find("a=rtcp"), std::string::npos);
}

TEST(SdpRewrite, RemovesIceAttributesAtSessionAndMediaLevel) {
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  const std::string out =
      rewrite("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
              "a=ice-lite\r\na=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\n"
              "a=ice-options:trickle\r\nm=audio 4000 RTP/AVP 0\r\n"
              "a=candidate:1 1 udp 2130706431 10.0.0.1 4000 typ host\r\n"
              "a=remote-candidates:1 10.0.0.7 5000\r\na=end-of-candidates\r\n"
              "a=ice-mismatch\r\na=ptime:20\r\n",
              streams);
  EXPECT_EQ(out, "v=0\r\no=- 1 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\n"
                 "t=0 0\r\nm=audio 30000 RTP/AVP 0\r\na=ptime:20\r\n");
}

TEST(SdpRewrite, ReplacesThePortFieldEvenAfterBlanksAtTheLineStart) {
  // Found by the fuzzer: the parser skips the blanks, so the rewrite must too.
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  const std::string out =
      rewrite("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
              "m= audio 4000 RTP/AVP 0\r\n",
              streams);
  EXPECT_NE(out.find("m= audio 30000 RTP/AVP 0\r\n"), std::string::npos);
}

TEST(SdpRewrite, KeepsRejectedStreamsAtPortZero) {
  // The relay is asked for a port anyway; RFC 3264 §8.2 does not let it revive the stream.
  const std::array streams{RelayedStream{.rtp_port = 30000}, RelayedStream{.rtp_port = 30002}};
  const std::string out =
      rewrite("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
              "m=audio 4000 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\n",
              streams);
  EXPECT_NE(out.find("m=audio 30000 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\n"), std::string::npos);
}

TEST(SdpRewrite, DisablesStreamsTheRelayGivesNoPort) {
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  const std::string out =
      rewrite("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
              "m=audio 4000 RTP/AVP 0\r\nm=video 4002 RTP/AVP 96\r\na=rtcp:4003\r\n"
              "m=image 4004 udptl t38\r\n",
              streams);
  EXPECT_NE(out.find("m=video 0 RTP/AVP 96\r\nm=image 0 udptl t38\r\n"), std::string::npos);
  const auto again = parse_sdp(out);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->media.size(), 3U);
}

TEST(SdpRewrite, KeepsSendonlyAndInactiveHold) {
  const std::array streams{RelayedStream{.rtp_port = 30000}, RelayedStream{.rtp_port = 30002}};
  const std::string out =
      rewrite("v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
              "m=audio 4000 RTP/AVP 0\r\na=sendonly\r\nm=video 4002 RTP/AVP 96\r\na=inactive\r\n",
              streams);
  const auto again = parse_sdp(out);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->media[0].direction, MediaDirection::sendonly);
  EXPECT_EQ(again->media[1].direction, MediaDirection::inactive);
  EXPECT_TRUE(again->is_hold());
}

TEST(SdpRewrite, KeepsTheUnspecifiedAddressOfOldStyleHold) {
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  const std::string out =
      rewrite("v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
              "m=audio 4000 RTP/AVP 0\r\n",
              streams);
  EXPECT_EQ(out, "v=0\r\no=- 1 2 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
                 "m=audio 30000 RTP/AVP 0\r\n");
  const auto again = parse_sdp(out);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->is_hold());
}

TEST(SdpRewrite, ReplacesOrAddsDirectionWhenAsked) {
  const std::array streams{RelayedStream{.rtp_port = 30000, .direction = MediaDirection::recvonly},
                           RelayedStream{.rtp_port = 30002, .direction = MediaDirection::inactive}};
  const std::string out =
      rewrite("v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
              "m=audio 4000 RTP/AVP 0\r\na=sendonly\r\na=ptime:20\r\n"
              "m=video 4002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n",
              streams);
  EXPECT_NE(out.find("m=audio 30000 RTP/AVP 0\r\na=recvonly\r\na=ptime:20\r\n"), std::string::npos);
  EXPECT_NE(out.find("a=rtpmap:96 VP8/90000\r\na=inactive\r\n"), std::string::npos);
  EXPECT_EQ(out.find("sendonly"), std::string::npos);
}

TEST(SdpRewrite, WritesTheB2buasOwnOriginWhenGiven) {
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  const std::string out = rewrite_for_relay(
      parsed(kDeskPhoneOffer), kRelay, streams,
      RelayOrigin{.username = "starling", .session_id = 42, .session_version = 7});
  EXPECT_NE(out.find("\r\no=starling 42 7 IN IP4 203.0.113.5\r\n"), std::string::npos);
}

TEST(SdpRewrite, KeepsUsernameWithSpacesInOrigin) {
  const std::array streams{RelayedStream{.rtp_port = 30000}};
  const std::string out =
      rewrite("v=0\r\no=Yealink SIP-T46S 11 12 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\n"
              "t=0 0\r\nm=audio 11800 RTP/AVP 0\r\n",
              streams);
  EXPECT_NE(out.find("o=Yealink SIP-T46S 11 12 IN IP4 203.0.113.5\r\n"), std::string::npos);
}

} // namespace
} // namespace starling::media
