// Tests of dial patterns: what operators write, what they match, and what they are told
// when a pattern is wrong.
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "pbx/dial_pattern.h"

namespace starling::pbx {
namespace {

DialPattern compile(std::string_view text) {
  auto pattern = DialPattern::parse(text);
  EXPECT_TRUE(pattern) << pattern.error().message;
  return pattern ? std::move(*pattern) : *DialPattern::parse("0");
}

std::string error_of(std::string_view text) {
  auto pattern = DialPattern::parse(text);
  EXPECT_FALSE(pattern) << "'" << text << "' parsed";
  return pattern ? std::string() : pattern.error().message;
}

TEST(DialPattern, LiteralCharactersMatchOnlyThemselves) {
  const auto pattern = compile("*31#+0");
  EXPECT_TRUE(pattern.matches("*31#+0"));
  EXPECT_FALSE(pattern.matches("*31#+1"));
}

TEST(DialPattern, XMatchesAnyDigitNTwoToNineZOneToNine) {
  EXPECT_TRUE(compile("X").matches("0"));
  EXPECT_TRUE(compile("X").matches("9"));
  EXPECT_FALSE(compile("X").matches("*"));
  EXPECT_FALSE(compile("N").matches("1"));
  EXPECT_TRUE(compile("N").matches("2"));
  EXPECT_FALSE(compile("Z").matches("0"));
  EXPECT_TRUE(compile("Z").matches("1"));
}

TEST(DialPattern, LetterWildcardsMayBeLowerCase) {
  EXPECT_TRUE(compile("0nxz").matches("0201"));
}

TEST(DialPattern, WithoutATailTheLengthMustMatchExactly) {
  const auto pattern = compile("0NXX");
  EXPECT_TRUE(pattern.matches("0301"));
  EXPECT_FALSE(pattern.matches("030"));
  EXPECT_FALSE(pattern.matches("03012"));
}

TEST(DialPattern, DigitClassesTakeListsAndRanges) {
  const auto pattern = compile("[147][1-3]");
  EXPECT_TRUE(pattern.matches("43"));
  EXPECT_FALSE(pattern.matches("53"));
  EXPECT_FALSE(pattern.matches("44"));
  EXPECT_TRUE(compile("[1-35]").matches("5"));
  EXPECT_FALSE(compile("[1-35]").matches("4"));
}

TEST(DialPattern, TrailingDotNeedsAtLeastOneMoreCharacter) {
  const auto pattern = compile("00.");
  EXPECT_TRUE(pattern.matches("0044"));
  EXPECT_TRUE(pattern.matches("001"));
  EXPECT_FALSE(pattern.matches("00"));
  EXPECT_EQ(pattern.min_length(), 3U);
}

TEST(DialPattern, TrailingBangAllowsNothingMore) {
  const auto pattern = compile("0!");
  EXPECT_TRUE(pattern.matches("0"));
  EXPECT_TRUE(pattern.matches("0301234567"));
  EXPECT_FALSE(pattern.matches("1"));
  EXPECT_EQ(pattern.min_length(), 1U);
}

TEST(DialPattern, NeverMatchesJunkFromTheNetwork) {
  EXPECT_FALSE(compile("0.").matches("0alice"));
  EXPECT_FALSE(compile("!").matches("a"));
  EXPECT_FALSE(compile("X").matches(""));
  EXPECT_FALSE(compile("0!").matches(std::string_view("0\0", 2)));
}

TEST(DialPattern, MatchesVeryLongInputWithoutTrouble) {
  const std::string very_long(1'000'000, '5');
  EXPECT_TRUE(compile("5.").matches(very_long));
  EXPECT_FALSE(compile("5XX").matches(very_long));
}

TEST(DialPattern, KeepsTheTextTheOperatorWrote) {
  EXPECT_EQ(compile("0[1-9]X.").text(), "0[1-9]X.");
}

TEST(DialPattern, ReportsAnUnclosedBracketWhereItOpens) {
  EXPECT_EQ(error_of("0N[9-"), "pattern '0N[9-': unclosed [ at position 3");
  EXPECT_EQ(error_of("[12"), "pattern '[12': unclosed [ at position 1");
}

TEST(DialPattern, ReportsACharacterThatIsNotAllowed) {
  EXPECT_EQ(error_of("0A1"), "pattern '0A1': 'A' is not allowed at position 2");
  EXPECT_EQ(error_of("0 1"), "pattern '0 1': ' ' is not allowed at position 2");
  EXPECT_EQ(error_of("0\n"), "pattern '0\n': character 10 is not allowed at position 2");
}

TEST(DialPattern, ReportsTailsThatDoNotEndThePattern) {
  EXPECT_EQ(error_of("0.1"), "pattern '0.1': '.' may only end the pattern at position 2");
  EXPECT_EQ(error_of("!0"), "pattern '!0': '!' may only end the pattern at position 1");
}

TEST(DialPattern, ReportsBadDigitClasses) {
  EXPECT_EQ(error_of("0[]"), "pattern '0[]': empty [ ] at position 2");
  EXPECT_EQ(error_of("[5-1]"), "pattern '[5-1]': range 5-1 runs backwards at position 2");
  EXPECT_EQ(error_of("[1X]"), "pattern '[1X]': 'X' is not a digit in [ ] at position 3");
  EXPECT_EQ(error_of("[1-a]"), "pattern '[1-a]': 'a' is not a digit in [ ] at position 4");
  EXPECT_EQ(error_of("[[1]"), "pattern '[[1]': '[' is not a digit in [ ] at position 2");
  EXPECT_EQ(error_of("12]"), "pattern '12]': ] without [ at position 3");
}

TEST(DialPattern, RefusesAnEmptyPattern) {
  EXPECT_EQ(error_of(""), "the pattern is empty");
}

TEST(DialPattern, RefusesPatternsOverTheLengthLimit) {
  EXPECT_TRUE(DialPattern::parse(std::string(kMaxDialPatternLength, 'X')));
  const auto too_long = DialPattern::parse(std::string(kMaxDialPatternLength + 1, 'X'));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().message, "a pattern of 65 characters is longer than the limit of 64");
}

TEST(DialPattern, GivesTheOneBasedPositionOfAnError) {
  const auto pattern = DialPattern::parse("0N[9-");
  ASSERT_FALSE(pattern);
  EXPECT_EQ(pattern.error().position, 3U);
}

} // namespace
} // namespace starling::pbx
