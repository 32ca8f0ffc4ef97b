#include <set>

#include <gtest/gtest.h>

#include "directory/secret.h"

namespace starling::directory {
namespace {

TEST(Secret, GeneratedPasswordsHaveTheLengthAndNoLookAlikes) {
  const auto password = generate_password(32);
  EXPECT_EQ(password.size(), 32U);
  EXPECT_EQ(password.find_first_of("0O1lI"), std::string::npos) << password;
}

TEST(Secret, GeneratedPasswordsDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    seen.insert(generate_password());
  }
  EXPECT_EQ(seen.size(), 1000U);
}

} // namespace
} // namespace starling::directory
