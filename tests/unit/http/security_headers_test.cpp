// Tests of the security headers every response carries.
#include <gtest/gtest.h>

#include "http/security_headers.h"

namespace starling::http {
namespace {

TEST(SecurityHeaders, ForbidSniffingFramingReferrersAndInlineScripts) {
  Response response{Status::ok, 11};
  add_security_headers(response, true, "/");
  EXPECT_EQ(response["Strict-Transport-Security"], "max-age=31536000");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_EQ(response["Content-Security-Policy"], kContentSecurityPolicy);
  EXPECT_EQ(response["Content-Security-Policy"].find("unsafe-inline"), std::string::npos);
  EXPECT_NE(response["Permissions-Policy"], "");
  EXPECT_EQ(response[Field::cache_control], "");
}

TEST(SecurityHeaders, LeaveOutHstsOnPlainHttp) {
  Response response{Status::moved_permanently, 11};
  add_security_headers(response, false, "/");
  EXPECT_EQ(response["Strict-Transport-Security"], "");
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
}

TEST(SecurityHeaders, ForbidCachingOfApiResponses) {
  Response response{Status::ok, 11};
  response.set(Field::cache_control, "max-age=60");
  add_security_headers(response, true, "/api/v1/users");
  EXPECT_EQ(response[Field::cache_control], "no-store");
}

} // namespace
} // namespace starling::http
