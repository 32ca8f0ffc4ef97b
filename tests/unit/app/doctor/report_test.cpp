#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "app/doctor/report.h"

namespace starling::app::doctor {
namespace {

TEST(DoctorReport, FailuresGetTheirHintOnTheNextLine) {
  const auto text = format_result(
      {CheckStatus::fail, "ntp 127.0.0.1:1123", "no answer to 3 requests", "start the NTP server"});
  EXPECT_EQ(text, "FAIL  ntp 127.0.0.1:1123: no answer to 3 requests\n"
                  "      hint: start the NTP server\n");
}

TEST(DoctorReport, PassesAreOneLine) {
  EXPECT_EQ(format_result({CheckStatus::pass, "rtp range", "400 ports", ""}),
            "PASS  rtp range: 400 ports\n");
}

TEST(DoctorReport, JsonCountsFailuresAndWarnings) {
  const auto json = boost::json::parse(format_json({{CheckStatus::pass, "a", "fine", ""},
                                                    {CheckStatus::warn, "b", "odd", "look"},
                                                    {CheckStatus::fail, "c", "broken", "fix"}}));
  EXPECT_EQ(json.at("ok"), false);
  EXPECT_EQ(json.at("failed"), 1);
  EXPECT_EQ(json.at("warnings"), 1);
  EXPECT_EQ(json.at("checks").at(2).at("status"), "fail");
  EXPECT_EQ(json.at("checks").at(2).at("hint"), "fix");
}

} // namespace
} // namespace starling::app::doctor
