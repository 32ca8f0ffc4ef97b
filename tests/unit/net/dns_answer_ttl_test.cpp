#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "net/dns_answer_ttl.h"

namespace starling::net {
namespace {

using Bytes = std::vector<unsigned char>;

// A response to "a.test SRV?" with one answer per TTL; the answers point back at the question's
// name (compression) and carry two octets of data.
Bytes response_with_ttls(const std::vector<std::uint32_t>& ttls) {
  Bytes bytes{0x12, 0x34, 0x81, 0x80, 0, 1, 0, static_cast<unsigned char>(ttls.size()), 0, 0, 0, 0};
  const Bytes question{1, 'a', 4, 't', 'e', 's', 't', 0, 0, 33, 0, 1};
  bytes.insert(bytes.end(), question.begin(), question.end());
  for (const auto ttl : ttls) {
    const Bytes record{0xC0,
                       12,
                       0,
                       33,
                       0,
                       1,
                       static_cast<unsigned char>(ttl >> 24U),
                       static_cast<unsigned char>(ttl >> 16U),
                       static_cast<unsigned char>(ttl >> 8U),
                       static_cast<unsigned char>(ttl),
                       0,
                       2,
                       0xAB,
                       0xCD};
    bytes.insert(bytes.end(), record.begin(), record.end());
  }
  return bytes;
}

TEST(DnsAnswerTtl, IsTheSmallestTtlOfTheAnswers) {
  EXPECT_EQ(smallest_answer_ttl(response_with_ttls({300, 60, 3600})), 60U);
}

TEST(DnsAnswerTtl, IsNoneWithoutAnswers) {
  EXPECT_EQ(smallest_answer_ttl(response_with_ttls({})), std::nullopt);
}

TEST(DnsAnswerTtl, CountsATtlWithTheTopBitSetAsZero) {
  EXPECT_EQ(smallest_answer_ttl(response_with_ttls({0x8000'0000U, 300})), 0U);
}

TEST(DnsAnswerTtl, RejectsTruncatedResponsesWithoutReadingPastTheEnd) {
  const auto whole = response_with_ttls({300, 60});
  for (std::size_t size = 0; size < whole.size(); ++size) {
    const Bytes part(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_EQ(smallest_answer_ttl(part), std::nullopt) << "size " << size;
  }
}

TEST(DnsAnswerTtl, RejectsReservedLabelTypes) {
  auto bytes = response_with_ttls({300});
  bytes[12] = 0x41; // label type 01
  EXPECT_EQ(smallest_answer_ttl(bytes), std::nullopt);
}

} // namespace
} // namespace starling::net
