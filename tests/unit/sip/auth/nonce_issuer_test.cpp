// Tests of nonce minting and checking: authenticity, lifetime, tampering.
#include <set>

#include <gtest/gtest.h>

#include "sip/auth/nonce_issuer.h"

namespace starling::sip {
namespace {

using std::chrono::seconds;

constexpr NonceSecret kSecret{1, 2, 3, 4, 5, 6, 7, 8};
constexpr NonceSecret kOtherSecret{8, 7, 6, 5, 4, 3, 2, 1};

TEST(NonceIssuer, AcceptsItsOwnNonceWithinTheLifetime) {
  core::ManualClock clock;
  NonceIssuer issuer(clock, kSecret, seconds{300});
  const std::string nonce = issuer.issue();
  clock.advance(seconds{299});
  const NonceCheck check = issuer.check(nonce);
  EXPECT_EQ(check.validity, NonceValidity::fresh);
  EXPECT_EQ(clock.now() - check.issued, seconds{299});
}

TEST(NonceIssuer, ReportsItsOwnOldNonceAsExpired) {
  core::ManualClock clock;
  NonceIssuer issuer(clock, kSecret, seconds{300});
  const std::string nonce = issuer.issue();
  clock.advance(seconds{301});
  EXPECT_EQ(issuer.check(nonce).validity, NonceValidity::expired);
}

TEST(NonceIssuer, RejectsANonceMintedWithAnotherSecret) {
  core::ManualClock clock;
  NonceIssuer ours(clock, kSecret);
  NonceIssuer theirs(clock, kOtherSecret);
  EXPECT_EQ(ours.check(theirs.issue()).validity, NonceValidity::forged);
}

TEST(NonceIssuer, RejectsATamperedNonce) {
  core::ManualClock clock;
  NonceIssuer issuer(clock, kSecret);
  const std::string nonce = issuer.issue();
  for (std::size_t i = 0; i < nonce.size(); ++i) {
    std::string tampered = nonce;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    EXPECT_EQ(issuer.check(tampered).validity, NonceValidity::forged) << "byte " << i;
  }
}

TEST(NonceIssuer, RejectsMalformedNonces) {
  core::ManualClock clock;
  NonceIssuer issuer(clock, kSecret);
  const std::string nonce = issuer.issue();
  EXPECT_EQ(issuer.check("").validity, NonceValidity::forged);
  EXPECT_EQ(issuer.check(nonce.substr(1)).validity, NonceValidity::forged);
  EXPECT_EQ(issuer.check(nonce + "A").validity, NonceValidity::forged);
  EXPECT_EQ(issuer.check(std::string(nonce.size(), '"')).validity, NonceValidity::forged);
}

TEST(NonceIssuer, MintsUniqueUrlSafeNonces) {
  core::ManualClock clock;
  NonceIssuer issuer(clock, kSecret);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string nonce = issuer.issue();
    EXPECT_EQ(nonce.size(), NonceIssuer::kEncodedLength);
    EXPECT_EQ(nonce.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789-_"),
              std::string::npos);
    EXPECT_TRUE(seen.insert(nonce).second);
  }
}

TEST(NonceIssuer, RandomSecretsDiffer) {
  EXPECT_NE(random_nonce_secret(), random_nonce_secret());
}

} // namespace
} // namespace starling::sip
