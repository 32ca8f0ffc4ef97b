// XEP-0082 DateTime: what <delay/> stamps and archive queries carry.
#include <chrono>

#include <gtest/gtest.h>

#include "xmpp/date_time.h"

namespace starling::xmpp {
namespace {

using namespace std::chrono;

constexpr sys_seconds kMoment = sys_days(year(2026) / 12 / 2) + hours(2) + minutes(37) + seconds(6);

TEST(DateTime, FormatsWholeSecondsInUtc) {
  EXPECT_EQ(to_date_time(kMoment + milliseconds(900)), "2026-12-02T02:37:06Z");
}

TEST(DateTime, ParsesUtcOffsetsAndFractions) {
  EXPECT_EQ(parse_date_time("2026-12-02T02:37:06Z"), kMoment);
  EXPECT_EQ(parse_date_time("2026-12-02T04:37:06+02:00"), kMoment);
  EXPECT_EQ(parse_date_time("2026-12-01T21:07:06-05:30"), kMoment);
  EXPECT_EQ(parse_date_time("2026-12-02T02:37:06.250Z"), kMoment + milliseconds(250));
}

TEST(DateTime, RejectsWhatXep0082DoesNotAllow) {
  for (const auto* text :
       {"", "2026-12-02", "2026-12-02T02:37:06", "2026-12-02 02:37:06Z", "2026-02-30T00:00:00Z",
        "2026-12-02T24:00:00Z", "2026-12-02T02:37:06.Z", "2026-12-02T02:37:06+0200",
        "2026-12-02T02:37:06Zjunk", "20261202T023706Z"}) {
    EXPECT_FALSE(parse_date_time(text).has_value()) << text;
  }
}

} // namespace
} // namespace starling::xmpp
