// The HTTP half of file upload (XEP-0363 §6): PUT once with the declared size and type,
// GET and HEAD with safe headers, CORS, expiry, and what survives a restart.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "upload_fixture.h"
#include "xmpp/upload/upload_http.h"

namespace starling::xmpp::upload {
namespace {

namespace http = boost::beast::http;
using http::field;
using http::status;
using http::verb;

class UploadHttpTest : public ::testing::Test, public UploadFixture {
protected:
  UploadHttpTest() { EXPECT_TRUE(uploads_->load()); }

  // The path of a new slot of alice's.
  std::string slot(std::string_view name, std::uint64_t size, std::string_view type) {
    auto granted = uploads_->grant("alice@pbx.example", std::string(name), size, std::string(type));
    EXPECT_TRUE(granted);
    return granted ? granted->put_url.substr(std::string("https://pbx.example:8443").size()) : "";
  }
  static HttpRequest request(verb method, std::string_view target, std::string body = {},
                             std::string_view type = {}) {
    HttpRequest request{method, target, 11};
    if (!type.empty()) {
      request.set(field::content_type, type);
    }
    request.body() = std::move(body);
    if (method == verb::put) {
      request.prepare_payload();
    }
    return request;
  }
  HttpResponse put(std::string_view target, std::string body, std::string_view type) {
    return http_.handle(request(verb::put, target, std::move(body), type));
  }
  HttpResponse get(std::string_view target, verb method = verb::get) {
    return http_.handle(request(method, target));
  }
  void restart() {
    uploads_.reset();
    uploads_ = std::make_unique<Uploads>(settings(), clock_, metrics_);
    ASSERT_TRUE(uploads_->load());
  }

  std::unique_ptr<Uploads> uploads_ = std::make_unique<Uploads>(settings(), clock_, metrics_);
  UploadHttp http_{*uploads_};
};

TEST_F(UploadHttpTest, APutIsStoredAndServedBackByteForByte) {
  const auto path = slot("cat picture.png", 9, "image/png");
  const std::string content("\x89PNG\r\n\0\x1a\n", 9);
  EXPECT_EQ(put(path, content, "image/png").result(), status::created);
  const auto response = get(path);
  EXPECT_EQ(response.result(), status::ok);
  EXPECT_EQ(response.body(), content);
  EXPECT_EQ(response[field::content_type], "image/png");
  EXPECT_EQ(response[field::content_disposition], "inline; filename*=UTF-8''cat%20picture.png");
  EXPECT_EQ(response[field::access_control_allow_origin], "*");
  // Under the data directory, in the slot's folder, under its name.
  const auto id = path.substr(8, path.rfind('/') - 8);
  std::ifstream file(root_ / "xmpp-upload" / id / "cat picture.png", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(file), {}), content);
}

TEST_F(UploadHttpTest, HeadTellsTheLengthAndTypeWithoutTheBody) {
  const auto path = slot("a.txt", 5, "text/plain");
  ASSERT_EQ(put(path, "hello", "text/plain").result(), status::created);
  const auto response = get(path, verb::head);
  EXPECT_EQ(response.result(), status::ok);
  EXPECT_EQ(response[field::content_length], "5");
  EXPECT_EQ(response[field::content_type], "text/plain");
  EXPECT_TRUE(response.body().empty());
}

TEST_F(UploadHttpTest, HtmlAndSvgAreServedAsSandboxedDownloadsNeverAsPages) {
  for (const auto& [name, type] :
       {std::pair{"page.html", "text/html"}, std::pair{"drawing.svg", "image/svg+xml"}}) {
    const auto path = slot(name, 6, type);
    ASSERT_EQ(put(path, "<b>x</b", type).result(), status::bad_request); // 7 bytes, not 6
    ASSERT_EQ(put(path, "<b>x</", type).result(), status::created);
    const auto response = get(path);
    EXPECT_EQ(response[field::content_type], "application/octet-stream") << name;
    EXPECT_TRUE(response[field::content_disposition].starts_with("attachment;")) << name;
    EXPECT_EQ(response["Content-Security-Policy"], kUploadContentSecurityPolicy);
    EXPECT_NE(response["Content-Security-Policy"].find("sandbox"), std::string::npos);
  }
}

TEST_F(UploadHttpTest, ASecondPutIsAConflictAndLeavesTheFirstFile) {
  const auto path = slot("a.txt", 5, "text/plain");
  ASSERT_EQ(put(path, "first", "text/plain").result(), status::created);
  EXPECT_EQ(put(path, "again", "text/plain").result(), status::conflict);
  EXPECT_EQ(get(path).body(), "first");
}

TEST_F(UploadHttpTest, APutMustMatchTheDeclaredLengthAndType) {
  const auto path = slot("a.txt", 5, "text/plain");
  EXPECT_EQ(put(path, "four", "text/plain").result(), status::bad_request);
  EXPECT_EQ(put(path, "sixsix", "text/plain").result(), status::bad_request);
  EXPECT_EQ(put(path, "hello", "text/html").result(), status::unsupported_media_type);
  auto chunked = request(verb::put, path, "hello", "text/plain");
  chunked.erase(field::content_length);
  EXPECT_EQ(http_.handle(chunked).result(), status::length_required);
  EXPECT_EQ(get(path).result(), status::not_found); // nothing stored yet
  EXPECT_EQ(put(path, "hello", "text/plain").result(), status::created);
}

TEST_F(UploadHttpTest, UnknownAndExpiredSlotsAreRefused) {
  EXPECT_EQ(put("/upload/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/a.txt", "hello", "text/plain").result(),
            status::not_found);
  const auto path = slot("a.txt", 5, "text/plain");
  EXPECT_EQ(put(path.substr(0, path.rfind('/')) + "/b.txt", "hello", "text/plain").result(),
            status::not_found);
  clock_.advance(kDefaultSlotLifetime);
  EXPECT_EQ(put(path, "hello", "text/plain").result(), status::forbidden);
  EXPECT_EQ(get("/upload/../../etc/passwd").result(), status::not_found);
}

TEST_F(UploadHttpTest, OnlyAPutToAnUnusedSlotMayCarryMoreThanTheServerLimit) {
  const auto path = slot("big.bin", kMaxFileSize, "application/octet-stream");
  auto header = request(verb::put, path, std::string(kMaxFileSize, 'x'), "");
  EXPECT_EQ(http_.body_limit(header.base(), 100), kMaxFileSize);
  header.content_length(kMaxFileSize - 1);
  EXPECT_EQ(http_.body_limit(header.base(), 100), 100U);
  EXPECT_EQ(http_.body_limit(request(verb::get, path).base(), 100), 100U);
  auto other = request(verb::put, "/upload/unknown/big.bin", std::string(kMaxFileSize, 'x'));
  EXPECT_EQ(http_.body_limit(other.base(), 100), 100U);
}

TEST_F(UploadHttpTest, APreflightAllowsPutFromWebClients) {
  const auto response = get(slot("a.txt", 5, "text/plain"), verb::options);
  EXPECT_EQ(response.result(), status::no_content);
  EXPECT_EQ(response[field::access_control_allow_origin], "*");
  EXPECT_NE(response[field::access_control_allow_methods].find("PUT"), std::string::npos);
  EXPECT_EQ(response[field::access_control_allow_headers], "Content-Type");
}

TEST_F(UploadHttpTest, FilesSurviveARestartAndGoPastTheRetention) {
  const auto path = slot("a.txt", 5, "text/plain");
  ASSERT_EQ(put(path, "hello", "text/plain").result(), status::created);
  restart();
  UploadHttp after_restart(*uploads_);
  EXPECT_EQ(after_restart.handle(request(verb::get, path)).body(), "hello");
  EXPECT_EQ(after_restart.handle(request(verb::put, path, "hello", "text/plain")).result(),
            status::conflict);

  clock_.advance(std::chrono::days(30) - std::chrono::seconds(1));
  EXPECT_EQ(uploads_->sweep(), 0U);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(uploads_->sweep(), 1U);
  EXPECT_EQ(after_restart.handle(request(verb::get, path)).result(), status::not_found);
  EXPECT_TRUE(std::filesystem::is_empty(root_ / "xmpp-upload"));
}

TEST_F(UploadHttpTest, AnUploadCutShortByACrashIsDeletedAtStart) {
  const auto folder = root_ / "xmpp-upload" / "CrashedSlotCrashedSlotCrashedSl";
  std::filesystem::create_directories(folder);
  std::ofstream(folder / ".partial") << "half a fi";
  restart();
  EXPECT_FALSE(std::filesystem::exists(folder));
}

} // namespace
} // namespace starling::xmpp::upload
