#include <gtest/gtest.h>

#include "api/login_throttle.h"

namespace starling::api {
namespace {

using std::chrono::seconds;

class LoginThrottleTest : public testing::Test {
protected:
  void fail(std::string_view account, int times, const char* from = "192.0.2.1") {
    for (int i = 0; i < times; ++i) {
      throttle_.failed(account, boost::asio::ip::make_address(from));
    }
  }
  std::optional<seconds> refusal(std::string_view account, const char* from = "192.0.2.1") {
    return throttle_.refusal(account, boost::asio::ip::make_address(from));
  }

  core::ManualClock clock_;
  core::MetricsRegistry metrics_;
  LoginThrottle throttle_{clock_, metrics_};
};

TEST_F(LoginThrottleTest, AFewMistakesCostNothing) {
  fail("alice", 4);
  EXPECT_FALSE(refusal("alice").has_value());
}

TEST_F(LoginThrottleTest, AccountWaitDoublesWithEachFailureUpToFiveMinutes) {
  fail("alice", 5);
  EXPECT_EQ(refusal("alice"), seconds(15));
  for (const int expected : {30, 60, 120, 240, 300, 300}) {
    clock_.advance(*refusal("alice"));
    fail("alice", 1);
    EXPECT_EQ(refusal("alice"), seconds(expected));
  }
}

TEST_F(LoginThrottleTest, AccountWaitAppliesFromEveryAddressAndNamesAreCaseInsensitive) {
  fail("Alice", 5);
  EXPECT_TRUE(refusal("alice", "2001:db8::1").has_value());
  EXPECT_FALSE(refusal("bob").has_value());
}

TEST_F(LoginThrottleTest, SuccessEndsTheAccountsWait) {
  fail("alice", 5);
  clock_.advance(seconds(15));
  throttle_.succeeded("alice");
  fail("alice", 1);
  EXPECT_FALSE(refusal("alice").has_value());
}

TEST_F(LoginThrottleTest, AddressGuessingManyNamesIsBannedForFifteenMinutes) {
  for (int i = 0; i < 20; ++i) {
    fail("user" + std::to_string(i), 1, "198.51.100.7");
  }
  EXPECT_EQ(refusal("someone-else", "198.51.100.7"), seconds(900));
  EXPECT_FALSE(refusal("someone-else", "198.51.100.8").has_value());
  clock_.advance(seconds(900));
  EXPECT_FALSE(refusal("someone-else", "198.51.100.7").has_value());
  EXPECT_NE(metrics_.render().find(R"(starling_api_login_bans_total{kind="source"} 1)"),
            std::string::npos);
}

TEST_F(LoginThrottleTest, IPv6AddressesOfOne64CountAsOneSource) {
  for (int i = 0; i < 20; ++i) {
    const std::string address = "2001:db8:1:2::" + std::to_string(i + 1);
    fail("user" + std::to_string(i), 1, address.c_str());
  }
  EXPECT_TRUE(refusal("x", "2001:db8:1:2:ffff::1").has_value());
  EXPECT_FALSE(refusal("x", "2001:db8:1:3::1").has_value());
}

TEST_F(LoginThrottleTest, FailuresSpreadOverMoreThanTheWindowDoNotBanAnAddress) {
  for (int i = 0; i < 40; ++i) {
    fail("user" + std::to_string(i), 1);
    clock_.advance(seconds(60));
  }
  EXPECT_FALSE(refusal("someone-else").has_value());
}

} // namespace
} // namespace starling::api
