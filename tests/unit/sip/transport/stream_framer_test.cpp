// Tests of stream framing: message boundaries, keep-alives and the size limit.
#include <string>

#include <gtest/gtest.h>

#include "sip/transport/stream_framer.h"

namespace starling::sip {
namespace {

constexpr std::size_t kLimit = 65535;

const std::string kRequest = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 4\r\n\r\nbody";

TEST(StreamFramer, FindsTheEndOfAMessageFromContentLength) {
  StreamFramer framer(kLimit);
  const Frame frame = framer.next(kRequest + "NEXT");
  EXPECT_EQ(frame.kind, FrameKind::message);
  EXPECT_EQ(frame.length, kRequest.size());
}

TEST(StreamFramer, AsksForMoreUntilTheBodyIsComplete) {
  StreamFramer framer(kLimit);
  const std::string partial = kRequest.substr(0, kRequest.size() - 2);
  EXPECT_EQ(framer.next(partial).kind, FrameKind::need_more);
  EXPECT_EQ(framer.next(kRequest).kind, FrameKind::message);
}

TEST(StreamFramer, FindsAHeaderTerminatorSplitAcrossReads) {
  StreamFramer framer(kLimit);
  const std::size_t cut = kRequest.find("\r\n\r\n") + 2;
  EXPECT_EQ(framer.next(kRequest.substr(0, cut)).kind, FrameKind::need_more);
  EXPECT_EQ(framer.next(kRequest).kind, FrameKind::message);
}

TEST(StreamFramer, ReadsTheCompactContentLengthForm) {
  StreamFramer framer(kLimit);
  const std::string request = "OPTIONS sip:a@b SIP/2.0\r\nl: 2\r\n\r\nhi";
  EXPECT_EQ(framer.next(request).length, request.size());
}

TEST(StreamFramer, AnswersCrlfCrlfAsAPingAndSkipsALoneCrlf) {
  StreamFramer framer(kLimit);
  EXPECT_EQ(framer.next("\r\n\r\n").kind, FrameKind::ping);
  EXPECT_EQ(framer.next("\r\nOPTIONS").kind, FrameKind::crlf);
  EXPECT_EQ(framer.next("\r\n").kind, FrameKind::need_more); // maybe half a ping
}

TEST(StreamFramer, RejectsAMessageWithoutContentLength) {
  StreamFramer framer(kLimit);
  const Frame frame = framer.next("OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n");
  EXPECT_EQ(frame.kind, FrameKind::error);
  EXPECT_EQ(frame.status, 400);
  EXPECT_EQ(frame.reason, kMissingContentLength);
}

TEST(StreamFramer, RejectsTwoDifferentContentLengths) {
  StreamFramer framer(kLimit);
  const Frame frame = framer.next("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nab");
  EXPECT_EQ(frame.kind, FrameKind::error);
  EXPECT_EQ(frame.reason, kMalformedContentLength);
}

TEST(StreamFramer, RejectsAContentLengthBeyondTheLimitBeforeTheBodyArrives) {
  StreamFramer framer(100);
  const Frame frame = framer.next("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 500\r\n\r\n");
  EXPECT_EQ(frame.kind, FrameKind::error);
  EXPECT_EQ(frame.status, 513);
}

TEST(StreamFramer, RejectsAHeaderSectionThatNeverEnds) {
  StreamFramer framer(100);
  std::string endless = "OPTIONS sip:a@b SIP/2.0\r\n";
  while (endless.size() < 100) {
    EXPECT_EQ(framer.next(endless).kind, FrameKind::need_more);
    endless += "X-Filler: 1\r\n";
  }
  EXPECT_EQ(framer.next(endless).status, 513);
}

} // namespace
} // namespace starling::sip
