// Tests of the stateless 503 an overloaded transaction layer sends.
#include <gtest/gtest.h>

#include "sip/name_addr.h"
#include "sip/transaction/stateless_response.h"
#include "transaction_test_support.h"

namespace starling::sip {
namespace {

using testing::parse;
using testing::request_text;

TEST(OverloadResponse, Is503WithRetryAfterAndAToTag) {
  const Message request = parse(request_text("REGISTER", "z9hG4bK1"));
  const std::string reply = build_overload_response(request, std::chrono::seconds{5});
  const Message parsed = parse(reply);
  EXPECT_EQ(parsed.status_code(), 503);
  EXPECT_EQ(parsed.value(HeaderId::retry_after), "5");
  EXPECT_EQ(parsed.value(HeaderId::via), "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1");
  EXPECT_EQ(parsed.value(HeaderId::cseq), "1 REGISTER");
  const auto to = parse_name_addr(parsed.value(HeaderId::to));
  ASSERT_TRUE(to);
  EXPECT_EQ(to->tag(), stateless_to_tag(request));
  EXPECT_FALSE(to->tag().empty());
}

TEST(StatelessToTag, IsStableForRetransmissionsAndDiffersBetweenRequests) {
  const Message a = parse(request_text("REGISTER", "z9hG4bK1"));
  const Message again = parse(request_text("REGISTER", "z9hG4bK1"));
  const Message other = parse(request_text("REGISTER", "z9hG4bK1", "ft9"));
  EXPECT_EQ(stateless_to_tag(a), stateless_to_tag(again));
  EXPECT_NE(stateless_to_tag(a), stateless_to_tag(other));
}

} // namespace
} // namespace starling::sip
