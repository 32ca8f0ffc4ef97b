// Tests of DID entries: numbers, ranges and patterns as operators write them.
#include <string_view>

#include <gtest/gtest.h>

#include "pbx/did_match.h"
#include "routing_test_plans.h"

namespace starling::pbx {
namespace {

using testing::berlin;

DidMatch did(std::string_view text) {
  auto parsed = DidMatch::parse(text, berlin());
  if (!parsed) {
    ADD_FAILURE() << parsed.error().message;
    std::abort();
  }
  return std::move(*parsed);
}

std::string error_of(std::string_view text) {
  auto parsed = DidMatch::parse(text, berlin());
  EXPECT_FALSE(parsed) << text;
  return parsed ? std::string() : parsed.error().message;
}

TEST(DidMatch, ASingleNumberMatchesOnlyItself) {
  const auto single = did("+49301234567");
  EXPECT_EQ(single.kind(), DidKind::number);
  EXPECT_TRUE(single.matches("+49301234567"));
  EXPECT_FALSE(single.matches("+49301234568"));
}

TEST(DidMatch, ASingleNumberMayBeWrittenNationally) {
  EXPECT_TRUE(did("0301234567").matches("+49301234567"));
  EXPECT_EQ(did("0301234567").first_number(), "+49301234567");
}

TEST(DidMatch, ARangeMatchesBothEndsAndEverythingBetween) {
  const auto range = did("+49301234500-+49301234599");
  EXPECT_EQ(range.kind(), DidKind::range);
  EXPECT_EQ(range.size(), 100U);
  EXPECT_TRUE(range.matches("+49301234500"));
  EXPECT_TRUE(range.matches("+49301234550"));
  EXPECT_TRUE(range.matches("+49301234599"));
  EXPECT_FALSE(range.matches("+49301234600"));
  EXPECT_FALSE(range.matches("+4930123455"));
  EXPECT_FALSE(range.matches("+493012345500"));
}

TEST(DidMatch, APatternMatchesTheE164Form) {
  const auto pattern = did("+4930123450X");
  EXPECT_EQ(pattern.kind(), DidKind::pattern);
  EXPECT_TRUE(pattern.matches("+49301234507"));
  EXPECT_FALSE(pattern.matches("+49301234517"));
}

TEST(DidMatch, RefusesARangeThatRunsBackwards) {
  EXPECT_EQ(error_of("+49301234599-+49301234500"),
            "DID '+49301234599-+49301234500': the range ends before it starts");
}

TEST(DidMatch, RefusesARangeWithEndsOfDifferentLength) {
  EXPECT_EQ(error_of("+49301234500-+493012345999"),
            "DID '+49301234500-+493012345999': both ends of a range must have the same number "
            "of digits");
}

TEST(DidMatch, RefusesAPatternWithoutPlus) {
  EXPECT_EQ(error_of("030123450X"),
            "DID '030123450X': a pattern is matched against E.164 numbers and must start with +");
}

TEST(DidMatch, PassesOnThePatternsOwnError) {
  EXPECT_EQ(error_of("+49301234[5"),
            "DID '+49301234[5': pattern '+49301234[5': unclosed [ at position 10");
}

TEST(DidMatch, RefusesEntriesThatAreNoNumbers) {
  EXPECT_FALSE(DidMatch::parse("", berlin()));
  EXPECT_FALSE(DidMatch::parse("reception", berlin()));
  EXPECT_FALSE(DidMatch::parse("+49301234500-", berlin()));
  EXPECT_FALSE(DidMatch::parse("-+49301234500", berlin()));
}

} // namespace
} // namespace starling::pbx
