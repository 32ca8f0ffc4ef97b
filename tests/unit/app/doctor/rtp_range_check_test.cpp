#include <gtest/gtest.h>

#include "app/doctor/checks.h"

namespace starling::app::doctor {
namespace {

TEST(RtpRangeCheck, DefaultRangeCarriesTheDefaultExpectedCalls) {
  const auto results = check_rtp_range(core::Config{});
  ASSERT_EQ(results.size(), 1U);
  EXPECT_EQ(results[0].status, CheckStatus::pass);
  EXPECT_NE(results[0].found.find("10001 ports"), std::string::npos);
  EXPECT_NE(results[0].found.find("2500 simultaneous calls"), std::string::npos);
}

TEST(RtpRangeCheck, WarnsWhenFourPortsPerCallDoNotFit) {
  core::Config config;
  config.media.rtp_port_min = 10000;
  config.media.rtp_port_max = 10099; // 100 ports: 25 calls
  config.media.expected_calls = 30;
  const auto results = check_rtp_range(config);
  ASSERT_EQ(results.size(), 1U);
  EXPECT_EQ(results[0].status, CheckStatus::warn);
  EXPECT_NE(results[0].found.find("25 simultaneous calls, 30 expected"), std::string::npos);
  EXPECT_NE(results[0].hint.find("120 ports"), std::string::npos);
}

} // namespace
} // namespace starling::app::doctor
