// Tests of the plain-HTTP port's redirect to HTTPS.
#include <gtest/gtest.h>

#include "http/https_redirect.h"

namespace starling::http {
namespace {

Request request(Verb verb, std::string_view target, std::string_view host) {
  Request made{verb, target, 11};
  if (!host.empty()) {
    made.set(Field::host, host);
  }
  return made;
}

TEST(HttpsRedirect, MovesGetPermanentlyToTheSamePathOverHttps) {
  const auto response =
      redirect_to_https(request(Verb::get, "/users?x=1", "pbx.example.com:80"), 443);
  EXPECT_EQ(response.result(), Status::moved_permanently);
  EXPECT_EQ(response[Field::location], "https://pbx.example.com/users?x=1");
}

TEST(HttpsRedirect, NamesTheHttpsPortWhenItIsNot443) {
  const auto response = redirect_to_https(request(Verb::head, "/", "[::1]:8080"), 8443);
  EXPECT_EQ(response[Field::location], "https://[::1]:8443/");
}

TEST(HttpsRedirect, KeepsTheMethodOfPostWith308) {
  const auto response = redirect_to_https(request(Verb::post, "/api/v1/session", "10.0.0.1"), 443);
  EXPECT_EQ(response.result(), Status::permanent_redirect);
  EXPECT_EQ(response[Field::location], "https://10.0.0.1/api/v1/session");
}

TEST(HttpsRedirect, RefusesAMissingOrForgedHost) {
  EXPECT_EQ(redirect_to_https(request(Verb::get, "/", ""), 443).result(), Status::bad_request);
  EXPECT_EQ(redirect_to_https(request(Verb::get, "/", "evil.com/x@"), 443).result(),
            Status::bad_request);
  EXPECT_EQ(redirect_to_https(request(Verb::get, "/", "[::1"), 443).result(), Status::bad_request);
}

TEST(HttpsRedirect, NeverRedirectsToAnotherHostThroughTheTarget) {
  const auto response = redirect_to_https(request(Verb::get, "//evil.com", "pbx"), 443);
  EXPECT_EQ(response[Field::location], "https://pbx//evil.com");
}

} // namespace
} // namespace starling::http
