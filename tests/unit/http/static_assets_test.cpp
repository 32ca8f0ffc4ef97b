// Tests of the web UI's static files: content types, gzip, ETags, caching, client-side routes.
#include <gtest/gtest.h>

#include "http/static_assets.h"
#include "test_assets.h"

namespace starling::http {
namespace {

Request get(std::string_view target, Verb verb = Verb::get) {
  Request request{verb, target, 11};
  request.set(Field::host, "pbx.example.com");
  return request;
}

class StaticAssetsTest : public ::testing::Test {
protected:
  StaticAssets assets_{test_assets()};
};

TEST_F(StaticAssetsTest, ServesIndexHtmlForTheRootWithoutCaching) {
  const auto response = assets_.serve(get("/"));
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response[Field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(response[Field::cache_control], "no-cache");
  EXPECT_NE(response.body().find("<div id=\"app\">"), std::string::npos);
}

TEST_F(StaticAssetsTest, LetsBrowsersCacheHashedFilesForAYear) {
  const auto response = assets_.serve(get("/assets/app-4f3a9c1b.js?v=1"));
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response[Field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(response[Field::cache_control], "public, max-age=31536000, immutable");
}

TEST_F(StaticAssetsTest, SendsGzipOnlyToClientsThatAcceptIt) {
  auto plain = assets_.serve(get("/assets/app-4f3a9c1b.js"));
  EXPECT_EQ(plain[Field::content_encoding], "");
  EXPECT_EQ(plain[Field::vary], "Accept-Encoding");

  auto request = get("/assets/app-4f3a9c1b.js");
  request.set(Field::accept_encoding, "br, gzip;q=0.8");
  const auto gzipped = assets_.serve(request);
  EXPECT_EQ(gzipped[Field::content_encoding], "gzip");
  EXPECT_LT(gzipped.body().size(), plain.body().size());
  EXPECT_EQ(gzipped[Field::vary], "Accept-Encoding");
  EXPECT_NE(gzipped[Field::etag], plain[Field::etag]);

  request.set(Field::accept_encoding, "gzip;q=0");
  EXPECT_EQ(assets_.serve(request)[Field::content_encoding], "");
}

TEST_F(StaticAssetsTest, SendsTheIdentityWhenGzipWouldNotBeSmaller) {
  auto request = get("/tiny.txt");
  request.set(Field::accept_encoding, "gzip");
  const auto response = assets_.serve(request);
  EXPECT_EQ(response[Field::content_encoding], "");
  EXPECT_EQ(response.body(), "x");
}

TEST_F(StaticAssetsTest, AnswersNotModifiedWhenTheETagMatches) {
  const auto first = assets_.serve(get("/index.html"));
  auto again = get("/index.html");
  again.set(Field::if_none_match, std::string("\"other\", W/") + std::string(first[Field::etag]));
  const auto response = assets_.serve(again);
  EXPECT_EQ(response.result(), Status::not_modified);
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(response[Field::etag], first[Field::etag]);

  again.set(Field::if_none_match, "\"stale\"");
  EXPECT_EQ(assets_.serve(again).result(), Status::ok);
}

TEST_F(StaticAssetsTest, ServesIndexHtmlForClientSideRoutes) {
  const auto response = assets_.serve(get("/users/alice"));
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response[Field::content_type], "text/html; charset=utf-8");
}

TEST_F(StaticAssetsTest, AnswersNotFoundForMissingFiles) {
  EXPECT_EQ(assets_.serve(get("/assets/missing-12345678.js")).result(), Status::not_found);
  EXPECT_EQ(assets_.serve(get("/../../etc/passwd.txt")).result(), Status::not_found);
}

TEST_F(StaticAssetsTest, AnswersHeadWithTheHeadersOfGet) {
  const auto response = assets_.serve(get("/index.html", Verb::head));
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(response[Field::content_length], std::to_string(assets_.serve(get("/")).body().size()));
}

TEST_F(StaticAssetsTest, RefusesMethodsThatWrite) {
  const auto response = assets_.serve(get("/index.html", Verb::post));
  EXPECT_EQ(response.result(), Status::method_not_allowed);
  EXPECT_EQ(response[Field::allow], "GET, HEAD");
}

TEST_F(StaticAssetsTest, AnswersNotFoundForRoutesWhenNoWebUiIsEmbedded) {
  const StaticAssets none{{}};
  EXPECT_EQ(none.serve(get("/")).result(), Status::not_found);
}

TEST(ContentHash, IsRecognisedInBundlerFileNames) {
  EXPECT_TRUE(has_content_hash("assets/index-4f3a9c1b.js"));
  EXPECT_TRUE(has_content_hash("main.3f9a2b1c7d.css"));
  EXPECT_FALSE(has_content_hash("assets/application-settings.js"));
  EXPECT_FALSE(has_content_hash("favicon.ico"));
}

TEST(AcceptEncoding, AllowsGzipUnlessItsWeightIsZero) {
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("GZIP"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("br, gzip;q=0.000"));
  EXPECT_FALSE(accepts_gzip("identity"));
}

} // namespace
} // namespace starling::http
