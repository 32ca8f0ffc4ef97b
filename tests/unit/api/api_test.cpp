#include "api_fixture.h"

namespace starling::api {
namespace {

using http::Status;
using http::Verb;

TEST_F(ApiTest, RequestWithoutCredentialsGets401WithWwwAuthenticate) {
  const auto response = send(Verb::get, "/api/v1/users");
  EXPECT_EQ(response.result(), Status::unauthorized);
  EXPECT_EQ(response[http::Field::content_type], "application/problem+json");
  EXPECT_EQ(response[http::Field::www_authenticate], R"(Bearer realm="starling")");
}

TEST_F(ApiTest, UnknownPathIs404AndWrongMethodIs405) {
  EXPECT_EQ(send(Verb::get, "/api/v1/nothing").result(), Status::not_found);
  EXPECT_EQ(send(Verb::put, "/api/v1/session").result(), Status::method_not_allowed);
}

TEST_F(ApiTest, LoginSetsAStrictHttpOnlySecureCookieAndReturnsTheCsrfToken) {
  const auto response = log_in_response("alice", password_of("alice"));
  ASSERT_EQ(response.result(), Status::ok);
  const std::string cookie(response[http::Field::set_cookie]);
  EXPECT_TRUE(cookie.starts_with("starling_session="));
  for (const char* attribute : {"HttpOnly", "Secure", "SameSite=Strict", "Path=/"}) {
    EXPECT_NE(cookie.find(attribute), std::string::npos) << attribute;
  }
  const auto body = json(response);
  EXPECT_EQ(body.at("user").at("name"), "alice");
  EXPECT_EQ(body.at("user").at("role"), "user");
  EXPECT_GE(body.at("csrf_token").as_string().size(), 43U); // 256 bits in base64url
}

TEST_F(ApiTest, UnknownUserAndWrongPasswordGetTheSameAnswer) {
  const auto wrong_password = log_in_response("alice", "not her password");
  const auto unknown_user = log_in_response("mallory", "not her password");
  EXPECT_EQ(wrong_password.result(), Status::unauthorized);
  EXPECT_EQ(unknown_user.result(), Status::unauthorized);
  EXPECT_EQ(wrong_password.body(), unknown_user.body());
  EXPECT_TRUE(wrong_password[http::Field::set_cookie].empty());
}

TEST_F(ApiTest, SessionCookieShowsWhoIsLoggedIn) {
  const Login alice = log_in("alice");
  const auto response = send(Verb::get, "/api/v1/session", {}, {{"Cookie", alice.cookie}});
  ASSERT_EQ(response.result(), Status::ok);
  EXPECT_EQ(json(response).at("user").at("name"), "alice");
  EXPECT_EQ(std::string_view(json(response).at("csrf_token").as_string()), alice.csrf_token);
}

TEST_F(ApiTest, CookieAuthenticatedChangeWithoutTheCsrfTokenIsRefused) {
  const Login boss = log_in("boss");
  const std::string body = R"({"name":"carol"})";
  const auto forged = send(Verb::post, "/api/v1/users", body, {{"Cookie", boss.cookie}});
  EXPECT_EQ(forged.result(), Status::forbidden);
  EXPECT_EQ(json(forged).at("field"), "X-CSRF-Token");
  const auto wrong = send(Verb::post, "/api/v1/users", body,
                          {{"Cookie", boss.cookie}, {"X-CSRF-Token", "guessed"}});
  EXPECT_EQ(wrong.result(), Status::forbidden);
  EXPECT_FALSE(store_->find_user("carol")->has_value());
  EXPECT_EQ(as(boss, Verb::post, "/api/v1/users", body).result(), Status::created);
}

TEST_F(ApiTest, LogoutEndsTheSessionAndClearsTheCookie) {
  const Login alice = log_in("alice");
  const auto response = as(alice, Verb::delete_, "/api/v1/session");
  EXPECT_EQ(response.result(), Status::no_content);
  EXPECT_NE(response[http::Field::set_cookie].find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(as(alice, Verb::get, "/api/v1/session").result(), Status::unauthorized);
}

TEST_F(ApiTest, SessionEndsAfterTheIdleTimeout) {
  const Login alice = log_in("alice");
  clock_.advance(std::chrono::seconds(599));
  EXPECT_EQ(as(alice, Verb::get, "/api/v1/session").result(), Status::ok);
  clock_.advance(std::chrono::seconds(599));
  EXPECT_EQ(as(alice, Verb::get, "/api/v1/session").result(), Status::ok);
  clock_.advance(std::chrono::seconds(600));
  EXPECT_EQ(as(alice, Verb::get, "/api/v1/session").result(), Status::unauthorized);
}

TEST_F(ApiTest, SessionEndsAfterItsLifetimeHoweverBusy) {
  const Login alice = log_in("alice");
  for (int minute = 0; minute < 59; ++minute) {
    clock_.advance(std::chrono::minutes(1));
    ASSERT_EQ(as(alice, Verb::get, "/api/v1/session").result(), Status::ok);
  }
  clock_.advance(std::chrono::minutes(1));
  EXPECT_EQ(as(alice, Verb::get, "/api/v1/session").result(), Status::unauthorized);
}

TEST_F(ApiTest, RemovedUsersSessionNoLongerWorks) {
  const Login alice = log_in("alice");
  ASSERT_TRUE(directory_->remove_user("alice"));
  EXPECT_EQ(as(alice, Verb::get, "/api/v1/session").result(), Status::unauthorized);
}

TEST_F(ApiTest, UserIsRefusedAdministratorRoutes) {
  const Login alice = log_in("alice");
  const auto response = as(alice, Verb::get, "/api/v1/users");
  EXPECT_EQ(response.result(), Status::forbidden);
}

TEST_F(ApiTest, TokenIsShownOnceAndStoredOnlyAsItsHash) {
  const Login alice = log_in("alice");
  const std::string token = token_for(alice, R"(["directory:read"])");
  EXPECT_TRUE(token.starts_with("stl_"));
  EXPECT_EQ(token.size(), 4U + 43U);
  const auto tokens = store_->list_api_tokens(std::nullopt);
  ASSERT_EQ(tokens->size(), 1U);
  EXPECT_EQ(tokens->front().secret_hash.size(), 64U);
  EXPECT_EQ(tokens->front().secret_hash.find(token.substr(4)), std::string::npos);
  const auto listed = json(as(alice, Verb::get, "/api/v1/tokens"));
  EXPECT_FALSE(listed.at("items").at(0).as_object().contains("token"));
}

TEST_F(ApiTest, TokenAuthenticatesWithoutCsrfToken) {
  const Login boss = log_in("boss");
  const std::string token = token_for(boss, R"(["directory:read","directory:write"])");
  const auto users = with_token(token, Verb::get, "/api/v1/users");
  EXPECT_EQ(users.result(), Status::ok) << users.body();
  EXPECT_EQ(with_token(token, Verb::post, "/api/v1/groups", R"({"name":"sales"})").result(),
            Status::created);
  EXPECT_NE(store_->list_api_tokens(std::nullopt)->front().last_used_at, 0);
}

TEST_F(ApiTest, TokenWithoutTheRoutesScopeIsRefusedNamingTheScope) {
  const Login boss = log_in("boss");
  const std::string token = token_for(boss, R"(["directory:read"])");
  const auto response = with_token(token, Verb::post, "/api/v1/groups", R"({"name":"sales"})");
  EXPECT_EQ(response.result(), Status::forbidden);
  EXPECT_NE(response.body().find("directory:write"), std::string::npos);
}

TEST_F(ApiTest, TokenCannotMakeMoreTokens) {
  const Login alice = log_in("alice");
  const std::string token = token_for(alice, R"(["directory:read","directory:write"])");
  const auto response = with_token(token, Verb::post, "/api/v1/tokens",
                                   R"({"name":"more","scopes":["calls:write"]})");
  EXPECT_EQ(response.result(), Status::forbidden);
}

TEST_F(ApiTest, UnknownScopeIsRefusedNamingIt) {
  const Login alice = log_in("alice");
  const auto response =
      as(alice, Verb::post, "/api/v1/tokens", R"({"name":"x","scopes":["directory:read","root"]})");
  EXPECT_EQ(response.result(), Status::unprocessable_entity);
  EXPECT_EQ(json(response).at("field"), "/scopes/1");
}

TEST_F(ApiTest, DeletedOrMadeUpTokenGets401) {
  const Login alice = log_in("alice");
  const std::string token = token_for(alice, R"(["directory:read"])");
  const auto id = json(as(alice, Verb::get, "/api/v1/tokens")).at("items").at(0).at("id");
  EXPECT_EQ(as(alice, Verb::delete_, "/api/v1/tokens/" + std::to_string(id.as_int64())).result(),
            Status::no_content);
  const auto response = with_token(token, Verb::get, "/api/v1/session");
  EXPECT_EQ(response.result(), Status::unauthorized);
  EXPECT_NE(response[http::Field::www_authenticate].find("invalid_token"), std::string::npos);
  EXPECT_EQ(with_token("stl_madeup", Verb::get, "/api/v1/session").result(), Status::unauthorized);
}

TEST_F(ApiTest, UserSeesAndDeletesOnlyTheirOwnTokens) {
  const Login alice = log_in("alice");
  const Login bob = log_in("bob");
  token_for(alice, R"(["directory:read"])");
  const auto listed = json(as(bob, Verb::get, "/api/v1/tokens"));
  EXPECT_EQ(listed.at("total"), 0);
  const auto id = store_->list_api_tokens(std::nullopt)->front().id;
  EXPECT_EQ(as(bob, Verb::delete_, "/api/v1/tokens/" + std::to_string(id)).result(),
            Status::not_found);
  const Login boss = log_in("boss");
  EXPECT_EQ(json(as(boss, Verb::get, "/api/v1/tokens")).at("total"), 1);
}

TEST_F(ApiTest, RemovingAUserRemovesTheirTokens) {
  const Login alice = log_in("alice");
  const std::string token = token_for(alice, R"(["directory:read"])");
  const Login boss = log_in("boss");
  EXPECT_EQ(as(boss, Verb::delete_, "/api/v1/users/alice").result(), Status::no_content);
  EXPECT_TRUE(store_->list_api_tokens(std::nullopt)->empty());
  EXPECT_EQ(with_token(token, Verb::get, "/api/v1/session").result(), Status::unauthorized);
}

TEST_F(ApiTest, FailedLoginsAreThrottledWith429AndRetryAfter) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    EXPECT_EQ(log_in_response("alice", "wrong").result(), Status::unauthorized);
  }
  const auto throttled = log_in_response("alice", password_of("alice"));
  EXPECT_EQ(throttled.result(), Status::too_many_requests);
  EXPECT_EQ(throttled[http::Field::retry_after], "15");
  clock_.advance(std::chrono::seconds(15));
  EXPECT_EQ(log_in_response("alice", password_of("alice")).result(), Status::ok);
  EXPECT_NE(metrics_.render().find("starling_api_login_failures_total 5"), std::string::npos);
}

TEST_F(ApiTest, EventStreamIsOpenToLoggedInUsersOnly) {
  auto authorize = api_->event_stream_authorizer();
  http::Request request{Verb::get, "/api/v1/events", 11};
  EXPECT_FALSE(authorize(request, {peer_, true}).has_value());
  const Login alice = log_in("alice");
  request.set(http::Field::cookie, alice.cookie);
  const auto viewer = authorize(request, {peer_, true});
  ASSERT_TRUE(viewer.has_value());
  EXPECT_FALSE(viewer->admin);
  EXPECT_EQ(viewer->user_id, (*store_->find_user("alice"))->id);
}

} // namespace
} // namespace starling::api
