// Tests of HMAC-SHA-256 against the RFC 4231 test vectors.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "sip/auth/hmac_sha256.h"

namespace starling::sip {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string hex_of(const HmacSha256& mac) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string hex;
  for (const std::uint8_t byte : mac) {
    hex.push_back(kDigits[byte >> 4U]);
    hex.push_back(kDigits[byte & 0x0fU]);
  }
  return hex;
}

TEST(HmacSha256, MatchesRfc4231TestCase1) {
  const std::vector<std::uint8_t> key(20, 0x0b);
  EXPECT_EQ(hex_of(HmacSha256Key(key).mac(bytes_of("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256, MatchesRfc4231TestCase2) {
  EXPECT_EQ(hex_of(HmacSha256Key(bytes_of("Jefe")).mac(bytes_of("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, MatchesRfc4231TestCase4WithMessagesMacedInTurn) {
  std::vector<std::uint8_t> key;
  for (std::uint8_t b = 0x01; b <= 0x19; ++b) {
    key.push_back(b);
  }
  const HmacSha256Key keyed(key);
  const std::vector<std::uint8_t> data(50, 0xcd);
  const std::string expected = "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b";
  EXPECT_EQ(hex_of(keyed.mac(data)), expected);
  (void)keyed.mac(bytes_of("something else in between"));
  EXPECT_EQ(hex_of(keyed.mac(data)), expected); // nothing of one MAC stays for the next
}

TEST(HmacSha256, RefusesKeysLongerThanOneBlock) {
  const std::vector<std::uint8_t> key(65, 0xaa); // one more than SHA-256's block
  EXPECT_THROW(HmacSha256Key{key}, std::logic_error);
}

} // namespace
} // namespace starling::sip
