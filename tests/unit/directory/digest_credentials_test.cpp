#include <array>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "directory/digest_credentials.h"

namespace starling::directory {
namespace {

std::string hex(const EVP_MD* algorithm, const std::string& input) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(input.data(), input.size(), digest.data(), &size, algorithm, nullptr);
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += fmt::format("{:02x}", digest.at(i));
  }
  return out;
}

// RFC 7616 §3.9.1: the response a client computes from HA1 for qop=auth.
std::string response(const EVP_MD* algorithm, const std::string& ha1) {
  const std::string ha2 = hex(algorithm, "GET:/dir/index.html");
  return hex(algorithm, fmt::format("{}:7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v:00000001:"
                                    "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ:auth:{}",
                                    ha1, ha2));
}

TEST(DigestCredentials, Md5Ha1MatchesRfc2617Example) {
  EXPECT_EQ(compute_ha1("Mufasa", "testrealm@host.com", "Circle Of Life").md5,
            "939e7578ed9e3c518a452acee763bce9");
}

TEST(DigestCredentials, Ha1sReproduceTheResponsesOfRfc7616Example) {
  const auto ha1 = compute_ha1("Mufasa", "http-auth@example.org", "Circle of Life");
  EXPECT_EQ(response(EVP_md5(), ha1.md5), "8ca523f5e9506fed4657c9700eebdbec");
  EXPECT_EQ(response(EVP_sha256(), ha1.sha256),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

} // namespace
} // namespace starling::directory
