#include <gtest/gtest.h>

#include "directory/names.h"

namespace starling::directory {
namespace {

TEST(Names, AcceptsLowercaseLettersDigitsAndSeparators) {
  EXPECT_FALSE(check_name("user", "alice"));
  EXPECT_FALSE(check_name("user", "j.doe_2-x"));
  EXPECT_FALSE(check_name("device", "201"));
  EXPECT_FALSE(check_name("user", std::string(64, 'a')));
}

TEST(Names, RejectsWhatWouldNeedEscapingInUrisOrJids) {
  for (const auto* bad : {"", "Alice", "al ice", "al@ice", "-alice", ".alice", "a:b", "é"}) {
    const auto problem = check_name("user", bad);
    ASSERT_TRUE(problem.has_value()) << bad;
    EXPECT_NE(problem->find("invalid user name"), std::string::npos);
  }
  EXPECT_TRUE(check_name("user", std::string(65, 'a')));
}

TEST(Names, ExtensionsAreOneToFifteenDigits) {
  EXPECT_FALSE(check_extension_number("7"));
  EXPECT_FALSE(check_extension_number("201"));
  EXPECT_FALSE(check_extension_number(std::string(15, '9')));
  EXPECT_TRUE(check_extension_number(""));
  EXPECT_TRUE(check_extension_number("20a"));
  EXPECT_TRUE(check_extension_number("+49"));
  EXPECT_TRUE(check_extension_number(std::string(16, '9')));
}

} // namespace
} // namespace starling::directory
