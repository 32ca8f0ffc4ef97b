// Tests of the codec preference of trunks: formats reordered, none lost.
#include <gtest/gtest.h>

#include "media/codec_preference.h"

namespace starling::media {
namespace {

constexpr std::string_view kPhoneOffer = "v=0\r\n"
                                         "o=- 1 1 IN IP4 192.0.2.1\r\n"
                                         "s=-\r\n"
                                         "c=IN IP4 192.0.2.1\r\n"
                                         "t=0 0\r\n"
                                         "m=audio 4000 RTP/AVP 0 96 8 101\r\n"
                                         "a=rtpmap:96 opus/48000/2\r\n"
                                         "a=rtpmap:101 telephone-event/8000\r\n";

std::string media_line(const std::string& sdp) {
  const auto start = sdp.find("m=audio");
  return sdp.substr(start, sdp.find("\r\n", start) - start);
}

TEST(CodecPreference, PutsTheTrunksCodecsFirstInItsOrderAndKeepsTheRest) {
  const std::vector<std::string> preferred{"PCMA", "opus"};
  EXPECT_EQ(media_line(prefer_codecs(kPhoneOffer, preferred)), "m=audio 4000 RTP/AVP 8 96 0 101");
}

TEST(CodecPreference, ComparesCodecNamesIgnoringCase) {
  const std::vector<std::string> preferred{"OPUS"};
  EXPECT_EQ(media_line(prefer_codecs(kPhoneOffer, preferred)), "m=audio 4000 RTP/AVP 96 0 8 101");
}

TEST(CodecPreference, LeavesTheOfferAloneWithoutAPreference) {
  EXPECT_EQ(prefer_codecs(kPhoneOffer, {}), kPhoneOffer);
}

TEST(CodecPreference, LeavesAnSdpThatDoesNotParseAlone) {
  const std::vector<std::string> preferred{"PCMA"};
  EXPECT_EQ(prefer_codecs("not sdp", preferred), "not sdp");
}

TEST(CodecPreference, KeepsEveryOtherLineByteForByte) {
  const std::vector<std::string> preferred{"PCMA"};
  std::string expected(kPhoneOffer);
  expected.replace(expected.find("0 96 8 101"), 10, "8 0 96 101");
  EXPECT_EQ(prefer_codecs(kPhoneOffer, preferred), expected);
}

} // namespace
} // namespace starling::media
