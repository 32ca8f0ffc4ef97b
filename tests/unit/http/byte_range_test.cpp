// Which bytes a Range header gets (RFC 9110 §14.1.1, §14.2), with the RFC's examples.
#include <cstdint>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "http/byte_range.h"

namespace starling::http {
namespace {

using Kind = RangeChoice::Kind;

constexpr std::uint64_t kSize = 10000; // the size §14.1.2's examples use

// "first-last", or "whole" and "unsatisfiable".
std::string describe(std::string_view header, std::uint64_t size = kSize) {
  const auto choice = choose_range(header, size);
  switch (choice.kind) {
  case Kind::whole:
    return "whole";
  case Kind::unsatisfiable:
    return "unsatisfiable";
  case Kind::partial:
    return std::to_string(choice.range.first) + "-" + std::to_string(choice.range.last);
  }
  return "?";
}

TEST(ByteRange, ServesTheRfcsExamplesOfOneRange) {
  EXPECT_EQ(describe("bytes=0-499"), "0-499");
  EXPECT_EQ(describe("bytes=500-999"), "500-999");
  EXPECT_EQ(describe("bytes=-500"), "9500-9999");
  EXPECT_EQ(describe("bytes=9500-"), "9500-9999");
  EXPECT_EQ(describe("bytes=0-0"), "0-0");
  EXPECT_EQ(describe("bytes=-1"), "9999-9999");
}

TEST(ByteRange, ClampsTheEndAndASuffixToTheFile) {
  EXPECT_EQ(describe("bytes=9000-20000"), "9000-9999");
  EXPECT_EQ(describe("bytes=-20000"), "0-9999");
  EXPECT_EQ(describe("bytes=0-99999999999999999999999999"), "0-9999");
}

TEST(ByteRange, TheUnitIsCaseInsensitiveAndTheSetMayHaveSpaceAround) {
  EXPECT_EQ(describe("BYTES=1-2"), "1-2");
  EXPECT_EQ(describe("bytes= 1-2\t"), "1-2");
}

TEST(ByteRange, NothingOfTheFileInTheRangeIsUnsatisfiable) {
  EXPECT_EQ(describe("bytes=10000-"), "unsatisfiable");
  EXPECT_EQ(describe("bytes=99999999999999999999999-"), "unsatisfiable");
  EXPECT_EQ(describe("bytes=-0"), "unsatisfiable");
  EXPECT_EQ(describe("bytes=0-", 0), "unsatisfiable");
  EXPECT_EQ(describe("bytes=-5", 0), "unsatisfiable");
}

TEST(ByteRange, InvalidOtherUnitsAndSeveralRangesAreIgnored) {
  for (const auto* header :
       {"", "bytes", "bytes=", "bytes=-", "bytes=5-1", "bytes=a-b", "bytes=1-2-3", "bytes=+1-2",
        "bytes=1 -2", "bytes =1-2", "items=0-1", "bytes=0-0,-1", "bytes=0-1,5-6"}) {
    EXPECT_EQ(describe(header), "whole") << header;
  }
}

} // namespace
} // namespace starling::http
