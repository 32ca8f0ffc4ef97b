// Times in query parameters: Unix seconds and RFC 3339.
#include <gtest/gtest.h>

#include "api/time_parameter.h"

namespace starling::api {
namespace {

TEST(TimeParameter, ReadsUnixSeconds) {
  EXPECT_EQ(parse_time("1767225600"), 1767225600);
}

TEST(TimeParameter, ReadsRfc3339DateTimesInUtcAndWithOffsets) {
  EXPECT_EQ(parse_time("2026-01-01T00:00:00Z"), 1767225600);
  EXPECT_EQ(parse_time("2026-01-01t01:00:00.250z"), 1767229200);
  EXPECT_EQ(parse_time("2026-01-01T01:00:00+01:00"), 1767225600);
  EXPECT_EQ(parse_time("2025-12-31T23:00:00-01:00"), 1767225600);
}

TEST(TimeParameter, ReadsAPlusThatAQueryStringTurnedIntoASpace) {
  EXPECT_EQ(parse_time("2026-01-01T01:00:00 01:00"), 1767225600);
}

TEST(TimeParameter, RefusesWhatIsNoPointInTime) {
  for (const auto* text :
       {"", "yesterday", "2026-01-01", "2026-01-01T00:00:00", "2026-02-30T00:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T00:00:00Zx", "12abc", "2026-01-01T00:00:00+1:00"}) {
    EXPECT_FALSE(parse_time(text).has_value()) << text;
  }
}

} // namespace
} // namespace starling::api
