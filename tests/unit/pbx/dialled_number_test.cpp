// Tests of the first check of every number: what counts as dialable.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pbx/dialled_number.h"

namespace starling::pbx {
namespace {

TEST(CheckDialled, AcceptsDigitsStarHashAndALeadingPlus) {
  EXPECT_TRUE(check_dialled("0301234567"));
  EXPECT_TRUE(check_dialled("+49301234567"));
  EXPECT_TRUE(check_dialled("*31#"));
}

TEST(CheckDialled, RefusesEmptyInputAsEmpty) {
  const auto checked = check_dialled("");
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().problem, NumberProblem::empty);
}

TEST(CheckDialled, RefusesLettersSpacesAndControlBytesFromTheNetwork) {
  for (const std::string& junk : std::vector<std::string>{"alice", "030 123", "030\r\n123",
                                                          std::string("03\0"
                                                                      "1",
                                                                      4),
                                                          "0301;user=phone", "%30", "\xff\xfe"}) {
    const auto checked = check_dialled(junk);
    ASSERT_FALSE(checked) << junk;
    EXPECT_EQ(checked.error().problem, NumberProblem::not_dialable);
  }
}

TEST(CheckDialled, RefusesAPlusInsideTheNumber) {
  const auto checked = check_dialled("49+30");
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().problem, NumberProblem::not_dialable);
}

TEST(CheckDialled, RefusesNumbersLongerThanTheLimitWithoutRepeatingThem) {
  const std::string very_long(100000, '1');
  const auto checked = check_dialled(very_long);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().problem, NumberProblem::too_long);
  EXPECT_LT(checked.error().message.size(), 100U);
  EXPECT_TRUE(check_dialled(std::string(kMaxDialledLength, '1')));
}

} // namespace
} // namespace starling::pbx
