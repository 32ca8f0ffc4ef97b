// A real Api over a real SQLite store in a temporary directory, and requests to send it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "api/api.h"
#include "store/open_store.h"

namespace starling::api {

class NoCalls final : public ActiveCalls {
public:
  bool hang_up(std::string_view) override { return false; }
};

// Answers as the dial plan's rules are set to: everything passes until a test sets a problem.
class ScriptedRoutingRules final : public RoutingRules {
public:
  [[nodiscard]] std::optional<RuleProblem> check_trunk(const store::Trunk&) const override {
    return trunk_problem;
  }
  [[nodiscard]] std::optional<RuleProblem>
  check_outbound_route(const store::OutboundRoute&) const override {
    return route_problem;
  }

  std::optional<RuleProblem> trunk_problem;
  std::optional<RuleProblem> route_problem;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One logged-in browser: the cookie and the CSRF token it got.
struct Login {
  std::string cookie;
  std::string csrf_token;
};

class ApiTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-api-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    store_ = std::move(*store::open_store({}, data_dir_));
    directory_ = std::make_unique<directory::Directory>(*store_, "pbx.test");
    config_.http.session_lifetime = 3600;
    config_.http.session_idle_timeout = 600;
    services_ = std::make_unique<ApiServices>(
        ApiServices{*store_, *directory_, config_, clock_, metrics_, calls_, routing_});
    api_ = std::make_unique<Api>(*services_);
    add_user("boss", store::Role::admin);
    add_user("alice", store::Role::user);
    add_user("bob", store::Role::user);
  }

  void TearDown() override {
    api_.reset();
    directory_.reset();
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  void add_user(const std::string& name, store::Role role) {
    ASSERT_TRUE(directory_->add_user({name, name + " Example", role, password_of(name), {}}));
  }

  static std::string password_of(const std::string& name) { return name + "-password"; }

  http::Response send(http::Verb verb, const std::string& target, const std::string& body = {},
                      const Headers& headers = {}) {
    http::Request request{verb, target, 11};
    request.set(http::Field::host, "pbx.test");
    if (!body.empty()) {
      request.set(http::Field::content_type, "application/json");
      request.body() = body;
    }
    for (const auto& [name, value] : headers) {
      request.set(name, value);
    }
    request.prepare_payload();
    return api_->handle(request, {peer_, true});
  }

  http::Response log_in_response(const std::string& name, const std::string& password) {
    return send(http::Verb::post, "/api/v1/session",
                R"({"name":")" + name + R"(","password":")" + password + R"("})");
  }

  Login log_in(const std::string& name) {
    const auto response = log_in_response(name, password_of(name));
    EXPECT_EQ(response.result(), http::Status::ok) << response.body();
    const std::string set_cookie(response[http::Field::set_cookie]);
    return {set_cookie.substr(0, set_cookie.find(';')),
            std::string(json(response).at("csrf_token").as_string())};
  }

  // A request as a logged-in browser sends it: cookie and CSRF token.
  http::Response as(const Login& login, http::Verb verb, const std::string& target,
                    const std::string& body = {}, Headers headers = {}) {
    headers.emplace_back("Cookie", login.cookie);
    headers.emplace_back("X-CSRF-Token", login.csrf_token);
    return send(verb, target, body, headers);
  }

  // A new API token of `login`'s user with these scopes (a JSON list).
  std::string token_for(const Login& login, const std::string& scopes) {
    const auto response = as(login, http::Verb::post, "/api/v1/tokens",
                             R"({"name":"script","scopes":)" + scopes + "}");
    EXPECT_EQ(response.result(), http::Status::created) << response.body();
    return std::string(json(response).at("token").as_string());
  }

  http::Response with_token(const std::string& token, http::Verb verb, const std::string& target,
                            const std::string& body = {}) {
    return send(verb, target, body, {{"Authorization", "Bearer " + token}});
  }

  static boost::json::value json(const http::Response& response) {
    return boost::json::parse(response.body());
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<directory::Directory> directory_;
  core::Config config_;
  core::ManualClock clock_;
  core::MetricsRegistry metrics_;
  NoCalls calls_;
  ScriptedRoutingRules routing_;
  std::unique_ptr<ApiServices> services_;
  std::unique_ptr<Api> api_;
  boost::asio::ip::address peer_ = boost::asio::ip::make_address("127.0.0.1");
};

} // namespace starling::api
