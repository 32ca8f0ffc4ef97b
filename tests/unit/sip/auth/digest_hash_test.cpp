// Tests of the Digest hash computations against the RFC 7616 §3.9.1 example.
#include <array>
#include <cstdint>

#include <gtest/gtest.h>

#include "sip/auth/digest_hash.h"

namespace starling::sip {
namespace {

// RFC 7616 §3.9.1: Mufasa / "Circle of Life" at http-auth@example.org.
constexpr std::string_view kUsername = "Mufasa";
constexpr std::string_view kRealm = "http-auth@example.org";
constexpr std::string_view kPassword = "Circle of Life";

const DigestResponseInput kRfc7616Input{
    .method = "GET",
    .uri = "/dir/index.html",
    .nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    .nc = "00000001",
    .cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
    .qop = "auth",
};

TEST(DigestResponse, MatchesTheRfc7616Md5Example) {
  const std::string ha1 = digest_ha1(DigestAlgorithm::md5, kUsername, kRealm, kPassword);
  EXPECT_EQ(digest_response(DigestAlgorithm::md5, ha1, kRfc7616Input).view(),
            "8ca523f5e9506fed4657c9700eebdbec");
}

TEST(DigestResponse, MatchesTheRfc7616Sha256Example) {
  const std::string ha1 = digest_ha1(DigestAlgorithm::sha256, kUsername, kRealm, kPassword);
  EXPECT_EQ(digest_response(DigestAlgorithm::sha256, ha1, kRfc7616Input).view(),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(HexDigest, HoldsTheDigitsInLowerCase) {
  EXPECT_EQ(HexDigest("8CA523F5e9506FED").view(), "8ca523f5e9506fed");
  EXPECT_EQ(HexDigest(std::string(64, 'F')).view(), std::string(64, 'f'));
}

TEST(HexDigest, WritesBytesAsLowercaseHex) {
  const std::array<std::uint8_t, 3> bytes{0x00, 0xab, 0x7f};
  EXPECT_EQ(HexDigest::of(bytes).view(), "00ab7f");
  EXPECT_EQ(HexDigest::of(std::array<std::uint8_t, 33>{}).size(), 0U);
}

TEST(HexDigest, IsEmptyForTextLongerThanAnySupportedHash) {
  EXPECT_EQ(HexDigest(std::string(65, 'a')).size(), 0U);
  EXPECT_EQ(HexDigest().view(), "");
}

TEST(DigestHash, WritesLowercaseHexOfTheAlgorithmsLength) {
  EXPECT_EQ(digest_hash_hex(DigestAlgorithm::md5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(digest_hash_hex(DigestAlgorithm::sha256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(DigestHash, SupportsOnlyMd5AndSha256) {
  EXPECT_TRUE(is_supported_digest_algorithm(DigestAlgorithm::md5));
  EXPECT_TRUE(is_supported_digest_algorithm(DigestAlgorithm::sha256));
  EXPECT_FALSE(is_supported_digest_algorithm(DigestAlgorithm::md5_sess));
  EXPECT_FALSE(is_supported_digest_algorithm(DigestAlgorithm::sha512_256));
  EXPECT_FALSE(is_supported_digest_algorithm(DigestAlgorithm::unknown));
}

TEST(HexEqualConstantTime, IgnoresHexCase) {
  EXPECT_TRUE(hex_equal_constant_time("8ca523f5e9506fed", "8CA523F5E9506FED"));
}

TEST(HexEqualConstantTime, RejectsDifferentDigitsAndLengths) {
  EXPECT_FALSE(hex_equal_constant_time("8ca523f5e9506fed", "8ca523f5e9506fee"));
  EXPECT_FALSE(hex_equal_constant_time("8ca523f5e9506fed", "8ca523f5e9506fe"));
  EXPECT_FALSE(hex_equal_constant_time("", "0"));
}

} // namespace
} // namespace starling::sip
