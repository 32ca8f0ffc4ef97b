// /session: logging in (POST), who is logged in (GET) and logging out (DELETE).
#include <memory>
#include <semaphore>

#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "api/directory_json.h"
#include "api/json_body.h"
#include "api/problem.h"
#include "api/request_fields.h"
#include "api/resources.h"
#include "directory/password_hash.h"
#include "directory/secret.h"

namespace starling::api {

namespace {

// Each argon2id check takes 64 MiB for about a tenth of a second; a burst of logins beyond
// this many at once waits its turn (503) rather than taking the memory.
constexpr std::ptrdiff_t kConcurrentPasswordChecks = 4;

boost::json::object session_json(const store::User& user, std::string_view csrf_token) {
  boost::json::object json{
      {"user",
       {{"name", user.name}, {"display_name", user.display_name}, {"role", role_name(user.role)}}}};
  if (!csrf_token.empty()) {
    json["csrf_token"] = csrf_token;
  }
  return json;
}

class SessionResource {
public:
  SessionResource(ApiServices& services, Sessions& sessions, LoginThrottle& throttle)
      : services_(services), sessions_(sessions), throttle_(throttle),
        // Checked against when the name is unknown, so that such a login takes as long as
        // a wrong password and the timing does not tell which names exist.
        decoy_hash_(directory::hash_password(directory::generate_password())),
        password_checks_(services.metrics.counter(
            "starling_api_password_checks_total",
            "argon2id password checks made for logins, decoys for unknown names included")) {}

  http::Response log_in(const ApiCall& call) {
    auto body = json_object_body(call.request);
    if (!body) {
      return std::move(body.error());
    }
    auto name = required_string(call.request, *body, "name");
    if (!name) {
      return std::move(name.error());
    }
    auto password = required_string(call.request, *body, "password");
    if (!password) {
      return std::move(password.error());
    }
    if (const auto wait = throttle_.refusal(*name, call.context.peer)) {
      auto response =
          problem(call.request, http::Status::too_many_requests,
                  fmt::format("too many failed logins; try again in {} s", wait->count()));
      response.set(http::Field::retry_after, std::to_string(wait->count()));
      return response;
    }
    auto user = services_.store.find_user(*name);
    if (!user) {
      return store_problem(call.request, user.error());
    }
    if (!checks_.try_acquire()) {
      auto response = problem(call.request, http::Status::service_unavailable,
                              "too many logins at once; try again in a second");
      response.set(http::Field::retry_after, "1");
      return response;
    }
    const std::string& hash = *user ? (*user)->password.hash : decoy_hash_;
    const bool verified = directory::verify_password(hash, *password);
    checks_.release();
    password_checks_.increment();
    if (!verified || !*user) {
      throttle_.failed(*name, call.context.peer);
      auto response =
          problem(call.request, http::Status::unauthorized, "the name or password is wrong");
      response.set(http::Field::www_authenticate, R"(Bearer realm="starling")");
      return response;
    }
    throttle_.succeeded(*name);
    const Session session = sessions_.open((*user)->id, (*user)->name);
    auto response =
        json_response(call.request, http::Status::ok, session_json(**user, session.csrf_token));
    response.set(http::Field::set_cookie, session_set_cookie(session.id));
    response.set(http::Field::cache_control, "no-store");
    return response;
  }

  http::Response who(const ApiCall& call) {
    auto user = services_.store.find_user(call.caller->name);
    if (!user || !*user) {
      return user ? problem(call.request, http::Status::not_found, "the user is gone")
                  : store_problem(call.request, user.error());
    }
    std::string csrf_token;
    if (!call.caller->token_scopes) {
      if (auto session = sessions_.find(session_cookie(call.request[http::Field::cookie]))) {
        csrf_token = std::move(session->csrf_token);
      }
    }
    auto response = json_response(call.request, http::Status::ok, session_json(**user, csrf_token));
    response.set(http::Field::cache_control, "no-store");
    return response;
  }

  http::Response log_out(const ApiCall& call) {
    sessions_.close(session_cookie(call.request[http::Field::cookie]));
    auto response = no_content(call.request);
    response.set(http::Field::set_cookie, session_set_cookie({}));
    return response;
  }

private:
  ApiServices& services_;
  Sessions& sessions_;
  LoginThrottle& throttle_;
  std::string decoy_hash_;
  core::Counter& password_checks_;
  std::counting_semaphore<kConcurrentPasswordChecks> checks_{kConcurrentPasswordChecks};
};

} // namespace

void add_session_routes(Router& router, ApiServices& services, Sessions& sessions,
                        LoginThrottle& throttle) {
  auto resource = std::make_shared<SessionResource>(services, sessions, throttle);
  router.add({http::Verb::post, "/session", Audience::everyone, Scope::directory_read,
              [resource](const ApiCall& call) { return resource->log_in(call); }});
  router.add({http::Verb::get, "/session", Audience::users, Scope::directory_read,
              [resource](const ApiCall& call) { return resource->who(call); }});
  router.add({http::Verb::delete_, "/session", Audience::users, Scope::directory_read,
              [resource](const ApiCall& call) { return resource->log_out(call); }});
}

} // namespace starling::api
