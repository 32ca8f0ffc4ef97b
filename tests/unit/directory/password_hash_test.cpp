#include <gtest/gtest.h>

#include "directory/password_hash.h"

namespace starling::directory {
namespace {

TEST(PasswordHash, IsArgon2idAndVerifiesOnlyTheRightPassword) {
  const auto hash = hash_password("correct horse battery staple");
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_EQ(hash.find("correct"), std::string::npos);
  EXPECT_TRUE(verify_password(hash, "correct horse battery staple"));
  EXPECT_FALSE(verify_password(hash, "correct horse battery stapler"));
  EXPECT_FALSE(verify_password(hash, ""));
}

TEST(PasswordHash, SamePasswordHashesDifferentlyEachTime) {
  EXPECT_NE(hash_password("same password"), hash_password("same password"));
}

TEST(PasswordHash, GarbageHashNeverVerifies) {
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "x"));
}

} // namespace
} // namespace starling::directory
