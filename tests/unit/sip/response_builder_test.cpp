// Tests of the response builder (RFC 3261 §8.2.6.2, §12.1.1).
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "sip/parser.h"
#include "sip/response_builder.h"
#include "sip/validation.h"

namespace starling::sip {
namespace {

constexpr std::string_view kInviteThroughTwoProxies =
    "INVITE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP p2;branch=z9hG4bK2\r\n"
    "Via: SIP/2.0/UDP p1;branch=z9hG4bK1\r\nRecord-Route: <sip:p2;lr>\r\n"
    "Record-Route: <sip:p1;lr;ftag=9>\r\nTo: <sip:b@h>\r\nFrom: <sip:a@h>;tag=9\r\n"
    "Call-ID: c7\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";

TEST(ResponseBuilder, CopiesTheDialogHeadersAndGivesToATag) {
  const auto invite = parse_message(kInviteThroughTwoProxies);
  ASSERT_TRUE(invite);
  EXPECT_EQ(ResponseBuilder(*invite, 486, "Busy Here", "t1").finish(),
            "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP p2;branch=z9hG4bK2\r\n"
            "Via: SIP/2.0/UDP p1;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=9\r\n"
            "To: <sip:b@h>;tag=t1\r\nCall-ID: c7\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseBuilder, CopiesRecordRouteInOrderIntoADialogCreatingResponse) {
  const auto invite = parse_message(kInviteThroughTwoProxies);
  ASSERT_TRUE(invite);
  ResponseBuilder response(*invite, 200, "OK", "t1");
  response.copy_record_route(*invite).add_header("Contact", "<sip:b@192.0.2.2>");
  const auto ok = parse_message(std::move(response).finish());
  ASSERT_TRUE(ok);
  std::vector<std::string_view> routes;
  for (const auto& header : ok->headers()) {
    if (header.id == HeaderId::record_route) {
      routes.push_back(header.value);
    }
  }
  EXPECT_EQ(routes, (std::vector<std::string_view>{"<sip:p2;lr>", "<sip:p1;lr;ftag=9>"}));
}

TEST(ResponseBuilder, TakesWhetherToHasATagFromTheValidatedRequest) {
  for (const std::string_view to :
       {"To: \"a;tag=x\" <sip:b@h;tag=y>\r\n", "t: <sip:b@h>;tag=old\r\n"}) {
    const auto request = parse_message(
        "OPTIONS sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP p1;branch=z9hG4bK1\r\n" + std::string(to) +
        "From: <sip:a@h>;tag=9\r\nCall-ID: c7\r\nCSeq: 1 OPTIONS\r\n\r\n");
    ASSERT_TRUE(request);
    const auto validated = validate_request(*request);
    ASSERT_TRUE(validated);
    // The same response as when the builder parses the To itself.
    EXPECT_EQ(ResponseBuilder(*request, *validated, 200, "OK", "t1").finish(),
              ResponseBuilder(*request, 200, "OK", "t1").finish())
        << to;
  }
}

TEST(ResponseBuilder, WritesAHeaderValueGivenInParts) {
  const auto invite = parse_message(kInviteThroughTwoProxies);
  ASSERT_TRUE(invite);
  ResponseBuilder response(*invite, 200, "OK", "t1");
  response.add_header("Contact", {"<", "sip:b@192.0.2.2", ">;expires=", "60"});
  const auto ok = parse_message(std::move(response).finish());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->value(HeaderId::contact), "<sip:b@192.0.2.2>;expires=60");
}

} // namespace
} // namespace starling::sip
