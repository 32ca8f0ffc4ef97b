// Tests of when a registration is refreshed and retried, and what a 2xx granted.
#include <chrono>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sip/parser.h"
#include "sip/registration/registration_timing.h"

namespace starling::sip {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

Message ok_with(std::string_view headers) {
  auto message =
      parse_message(fmt::format("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
                                "From: <sip:t@p>;tag=1\r\nTo: <sip:t@p>;tag=2\r\nCall-ID: c\r\n"
                                "CSeq: 2 REGISTER\r\n{}Content-Length: 0\r\n\r\n",
                                headers));
  EXPECT_TRUE(message.has_value());
  return std::move(*message);
}

Uri our_contact() {
  return *parse_uri("sip:trunk1@192.0.2.1:5060");
}

TEST(GrantedExpires, TakesTheExpiresParameterOfOurContact) {
  const Message ok = ok_with("Contact: <sip:other@203.0.113.5>;expires=3600, "
                             "<sip:trunk1@192.0.2.1:5060>;expires=120\r\nExpires: 900\r\n");
  EXPECT_EQ(granted_expires(ok, our_contact()), 120U);
}

TEST(GrantedExpires, FallsBackToTheExpiresHeader) {
  EXPECT_EQ(granted_expires(ok_with("Contact: <sip:trunk1@192.0.2.1:5060>\r\nExpires: 900\r\n"),
                            our_contact()),
            900U);
  EXPECT_EQ(granted_expires(ok_with("Contact: <sip:other@203.0.113.5>;expires=60\r\n"
                                    "Expires: 900\r\n"),
                            our_contact()),
            900U);
}

TEST(GrantedExpires, IsNothingWhenTheResponseSaysNothing) {
  EXPECT_EQ(granted_expires(ok_with(""), our_contact()), std::nullopt);
}

TEST(RefreshDelay, IsTheEarlierOfNinetyPercentAndThirtySecondsBefore) {
  EXPECT_EQ(refresh_delay(seconds{600}), seconds{540});
  EXPECT_EQ(refresh_delay(seconds{3600}), seconds{3240});
  EXPECT_EQ(refresh_delay(seconds{120}), seconds{90});
}

TEST(RefreshDelay, NeverGoesBelowTheFloor) {
  EXPECT_EQ(refresh_delay(seconds{20}), kMinRefreshDelay);
  EXPECT_EQ(refresh_delay(seconds{1}), kMinRefreshDelay);
}

TEST(RetryDelay, DoublesFromBaseTimeUpToMaxTime) {
  const RetryPolicy policy;
  EXPECT_EQ(retry_delay(policy, 0, 1.0), seconds{30});
  EXPECT_EQ(retry_delay(policy, 1, 1.0), seconds{60});
  EXPECT_EQ(retry_delay(policy, 5, 1.0), minutes{16});
  EXPECT_EQ(retry_delay(policy, 6, 1.0), minutes{30});
  EXPECT_EQ(retry_delay(policy, 1000, 1.0), minutes{30});
}

TEST(RetryDelay, WaitsBetweenHalfAndAllOfIt) {
  const RetryPolicy policy;
  EXPECT_EQ(retry_delay(policy, 0, 0.0), seconds{15});
  EXPECT_EQ(retry_delay(policy, 0, 0.5), milliseconds{22500});
}

TEST(RetryAfter, ReadsTheSecondsBeforeCommentAndParameters) {
  EXPECT_EQ(retry_after(ok_with("Retry-After: 120 (maintenance);duration=60\r\n")), seconds{120});
  EXPECT_EQ(retry_after(ok_with("Retry-After: 5\r\n")), seconds{5});
  EXPECT_EQ(retry_after(ok_with("")), std::nullopt);
  EXPECT_EQ(retry_after(ok_with("Retry-After: soon\r\n")), std::nullopt);
}

} // namespace
} // namespace starling::sip
