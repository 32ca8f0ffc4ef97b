// Tests of the HTTP server in-process on loopback: routing, headers, limits and live events.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "http/http_server.h"
#include "test_assets.h"
#include "test_client.h"

namespace starling::http {
namespace {

namespace fs = std::filesystem;
using testing::TestClient;
using testing::TestEventClient;

// Answers every API request with its own path, so a test sees what reached the handler.
class EchoHandler final : public Handler {
public:
  Response handle(const Request& request, const RequestContext& context) override {
    Response response{Status::ok, request.version()};
    response.set(Field::content_type, "text/plain");
    response.body() = std::string(request.target()) + (context.secure ? " secure" : "");
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    return response;
  }
};

// A route of its own (as uploads are): takes PUT bodies up to 3 MB, answers with their size
// under a Content-Security-Policy of its own.
class LargeBodyHandler final : public Handler {
public:
  static constexpr std::size_t kLimit = 3'000'000;
  Response handle(const Request& request, const RequestContext& /*context*/) override {
    Response response{Status::created, request.version()};
    response.set("Content-Security-Policy", "sandbox");
    response.body() = std::to_string(request.body().size());
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    return response;
  }
  [[nodiscard]] std::size_t body_limit(const RequestHeader& header,
                                       std::size_t server_limit) const override {
    return header.method() == Verb::put ? kLimit : server_limit;
  }
};

// The cookie names the viewer: "admin", "user=7"; anything else is refused.
std::expected<Viewer, Response> authorize(const Request& request, const RequestContext&) {
  const auto cookie = std::string(request[Field::cookie]);
  if (cookie == "admin") {
    return Viewer{1, true};
  }
  if (cookie.starts_with("user=")) {
    return Viewer{std::stoll(cookie.substr(5)), false};
  }
  Response refused{Status::unauthorized, request.version()};
  refused.prepare_payload();
  return std::unexpected(refused);
}

class HttpServerTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "starling-http-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(directory_);
  }

  void start(HttpLimits limits = {}) {
    HttpServerSettings settings;
    settings.address = boost::asio::ip::make_address("127.0.0.1");
    settings.http_port = 0;
    settings.https_port = 0;
    settings.limits = limits;
    settings.tls.self_signed_directory = directory_ / "tls";
    server_ = std::make_unique<HttpServer>(
        settings, HttpServices{handler_, authorize, test_assets(), metrics_, routes_});
    const auto started = server_->start();
    ASSERT_TRUE(started) << started.error();
  }

  // The server counts a rejection right after acting on it, so a client may see the effect
  // a moment before the counter moves: wait up to a second for it.
  [[nodiscard]] bool metric_is(std::string_view series, int value) const {
    const auto line = std::string(series) + " " + std::to_string(value) + "\n";
    for (int attempt = 0; attempt < 100; ++attempt) {
      if (metrics_.render().find(line) != std::string::npos) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  fs::path directory_;
  EchoHandler handler_;
  LargeBodyHandler large_bodies_;
  std::vector<Route> routes_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, ServesTheWebUiOverHttpsWithTheSecurityHeaders) {
  start();
  TestClient client(server_->https_port(), true);
  const auto response = client.exchange(testing::get("/"));
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_NE(response.body().find("<div id=\"app\">"), std::string::npos);
  EXPECT_EQ(response["Strict-Transport-Security"], "max-age=31536000");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
  EXPECT_NE(response["Content-Security-Policy"], "");
  EXPECT_TRUE(metric_is("starling_http_responses_total{class=\"2xx\"}", 1));
}

TEST_F(HttpServerTest, PassesApiRequestsToTheHandlerAndForbidsCachingThem) {
  start();
  TestClient client(server_->https_port(), true);
  const auto response = client.exchange(testing::get("/api/v1/users?limit=5"));
  EXPECT_EQ(response.body(), "/api/v1/users?limit=5 secure");
  EXPECT_EQ(response[Field::cache_control], "no-store");
  // The same connection carries the next request.
  EXPECT_EQ(client.exchange(testing::get("/api/v1/system")).body(), "/api/v1/system secure");
}

TEST_F(HttpServerTest, RedirectsPlainHttpToHttps) {
  start();
  TestClient client(server_->http_port(), false);
  const auto response = client.exchange(testing::get("/users?x=1"));
  EXPECT_EQ(response.result(), Status::moved_permanently);
  EXPECT_EQ(response[Field::location],
            "https://127.0.0.1:" + std::to_string(server_->https_port()) + "/users?x=1");
  EXPECT_EQ(response["Strict-Transport-Security"], "");
  // The API is not reachable in plain text either.
  EXPECT_EQ(client.exchange(testing::get("/api/v1/system")).result(), Status::moved_permanently);
}

TEST_F(HttpServerTest, AnswersAnOversizedHeaderWith431) {
  start();
  TestClient client(server_->https_port(), true);
  auto request = testing::get("/");
  request.set("X-Padding", std::string(9000, 'a'));
  EXPECT_EQ(client.exchange(request).result(), Status::request_header_fields_too_large);
  EXPECT_TRUE(metric_is("starling_http_rejected_total{reason=\"header_too_large\"}", 1));
}

TEST_F(HttpServerTest, AnswersAnOversizedBodyWith413BeforeReadingIt) {
  start();
  TestClient client(server_->https_port(), true);
  client.write_raw("POST /api/v1/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Content-Length: 2000000\r\n\r\n");
  EXPECT_EQ(client.read_response().result(), Status::payload_too_large);
  EXPECT_TRUE(metric_is("starling_http_rejected_total{reason=\"body_too_large\"}", 1));
}

TEST_F(HttpServerTest, ARouteMayTakeLargerBodiesThanTheRestAndKeepsItsOwnPolicy) {
  routes_.push_back({"/upload/", &large_bodies_});
  start();
  TestClient client(server_->https_port(), true);
  Request put{Verb::put, "/upload/slot/file.bin", 11};
  put.set(Field::host, "127.0.0.1");
  put.body() = std::string(2'000'000, 'x');
  put.prepare_payload();
  const auto response = client.exchange(put);
  EXPECT_EQ(response.result(), Status::created);
  EXPECT_EQ(response.body(), "2000000");
  EXPECT_EQ(response["Content-Security-Policy"], "sandbox");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  // Beyond the route's own limit, and on the API, the server's limit holds.
  TestClient again(server_->https_port(), true);
  again.write_raw("PUT /upload/slot/file.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  "Content-Length: 3000001\r\n\r\n");
  EXPECT_EQ(again.read_response().result(), Status::payload_too_large);
  TestClient api(server_->https_port(), true);
  api.write_raw("PUT /api/v1/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Length: 2000000\r\n\r\n");
  EXPECT_EQ(api.read_response().result(), Status::payload_too_large);
}

TEST_F(HttpServerTest, AnswersGarbageWith400) {
  start();
  TestClient client(server_->https_port(), true);
  client.write_raw("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(client.read_response().result(), Status::bad_request);
}

TEST_F(HttpServerTest, DisconnectsAClientThatSendsHalfAHeader) {
  HttpLimits limits;
  limits.header_timeout = std::chrono::milliseconds(300);
  start(limits);
  TestClient client(server_->https_port(), true);
  client.write_raw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  EXPECT_TRUE(client.closed_by_server(3000));
  EXPECT_TRUE(metric_is("starling_http_rejected_total{reason=\"header_timeout\"}", 1));
}

TEST_F(HttpServerTest, RefusesConnectionsOverThePerAddressCap) {
  HttpLimits limits;
  limits.connections_per_address = 2;
  start(limits);
  TestClient first(server_->http_port(), false);
  TestClient second(server_->http_port(), false);
  TestClient third(server_->http_port(), false);
  EXPECT_TRUE(third.closed_by_server(3000));
  EXPECT_EQ(first.exchange(testing::get("/")).result(), Status::moved_permanently);
  EXPECT_TRUE(metric_is("starling_http_rejected_total{reason=\"address_limit\"}", 1));
}

TEST_F(HttpServerTest, RefusesTheEventStreamWithTheAuthorizersAnswer) {
  start();
  TestClient client(server_->https_port(), true);
  auto request = testing::get("/api/v1/events");
  request.set(Field::upgrade, "websocket");
  request.set(Field::connection, "Upgrade");
  request.set(Field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  request.set(Field::sec_websocket_version, "13");
  EXPECT_EQ(client.exchange(request).result(), Status::unauthorized);
}

TEST_F(HttpServerTest, SendsEachViewerTheEventsTheyMaySee) {
  start();
  TestEventClient admin(server_->https_port(), "admin");
  TestEventClient user(server_->https_port(), "user=7");
  // The streams register right after their handshake; give the server that moment.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server_->publish(LiveEvent{R"({"type":"call","id":"other"})", {8}});
  server_->publish(LiveEvent{R"({"type":"call","id":"own"})", {6, 7}});
  server_->publish(LiveEvent{R"({"type":"registration","id":"system"})", {}});
  server_->publish(LiveEvent{R"({"type":"call","id":"own again"})", {7}});

  EXPECT_EQ(user.next_message(2000), R"({"type":"call","id":"own"})");
  EXPECT_EQ(user.next_message(2000), R"({"type":"call","id":"own again"})");
  EXPECT_EQ(admin.next_message(2000), R"({"type":"call","id":"other"})");
  EXPECT_EQ(admin.next_message(2000), R"({"type":"call","id":"own"})");
  EXPECT_EQ(admin.next_message(2000), R"({"type":"registration","id":"system"})");
  EXPECT_TRUE(metric_is("starling_http_event_streams", 2));
}

TEST_F(HttpServerTest, ClosesEventStreamsCleanlyWhenItStops) {
  start();
  TestEventClient admin(server_->https_port(), "admin");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::thread stopper([this] { server_->stop(); });
  EXPECT_EQ(admin.close_code(3000),
            static_cast<int>(boost::beast::websocket::close_code::going_away));
  stopper.join();
}

TEST_F(HttpServerTest, ClosesAnEventStreamThatFallsTooFarBehind) {
  HttpLimits limits;
  limits.queued_events = 4;
  start(limits);
  TestEventClient admin(server_->https_port(), "admin");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // Large events the client does not read fill the socket buffers, then the queue.
  const std::string big(256 * 1024, 'x');
  for (int i = 0; i < 64; ++i) {
    server_->publish(LiveEvent{big, {}});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_TRUE(metric_is("starling_http_rejected_total{reason=\"event_queue_full\"}", 1));
}

} // namespace
} // namespace starling::http
