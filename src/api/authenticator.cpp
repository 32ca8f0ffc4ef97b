// Who a request comes from (session cookie or API token) and whether they may use a route.
#include "api/authenticator.h"

#include <chrono>

#include <boost/beast/http/verb.hpp>
#include <fmt/format.h>

#include "api/api_token.h"
#include "api/problem.h"
#include "api/random_token.h"

namespace starling::api {

namespace {

// Writing last_used_at on every request would make each one a disk sync; a minute is as
// precise as anyone reading "last used" needs.
constexpr std::chrono::seconds kLastUsedPrecision{60};

constexpr std::string_view kBearer = "Bearer ";
constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

http::Response unauthenticated(const http::Request& request, std::string_view detail,
                               bool bad_token) {
  auto response = problem(request, http::Status::unauthorized, detail);
  // RFC 6750 §3: say which scheme, and whether the token sent was the trouble.
  response.set(http::Field::www_authenticate,
               bad_token ? R"(Bearer realm="starling", error="invalid_token")"
                         : R"(Bearer realm="starling")");
  return response;
}

http::Response unavailable(const http::Request& request, const store::StoreError& error) {
  return problem(request, http::Status::service_unavailable,
                 fmt::format("the directory cannot be read: {}", error.message));
}

bool changes_something(http::Verb verb) {
  return verb != http::Verb::get && verb != http::Verb::head && verb != http::Verb::options;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

} // namespace

Authenticator::Authenticator(ApiServices& services, Sessions& sessions)
    : services_(services), sessions_(sessions) {}

std::expected<Authenticated, http::Response>
Authenticator::authenticate(const http::Request& request) {
  const auto authorization = request[http::Field::authorization];
  if (!authorization.empty()) {
    if (!starts_with_ignoring_case(authorization, kBearer)) {
      return std::unexpected(
          unauthenticated(request, "only Bearer tokens are accepted in Authorization", true));
    }
    return by_token(request, authorization.substr(kBearer.size()));
  }
  const auto session_id = session_cookie(request[http::Field::cookie]);
  if (!session_id.empty()) {
    return by_session(request, session_id);
  }
  return std::unexpected(
      unauthenticated(request, "log in first (POST /api/v1/session) or send an API token", false));
}

std::expected<Authenticated, http::Response> Authenticator::by_token(const http::Request& request,
                                                                     std::string_view secret) {
  const auto invalid = [&] {
    return std::unexpected(
        unauthenticated(request, "the API token is unknown or was deleted", true));
  };
  if (!secret.starts_with(kTokenPrefix)) {
    return invalid();
  }
  auto token = services_.store.find_api_token(token_hash(secret));
  if (!token) {
    return std::unexpected(unavailable(request, token.error()));
  }
  if (!*token) {
    return invalid();
  }
  auto user = services_.store.find_user((*token)->user_name);
  if (!user) {
    return std::unexpected(unavailable(request, user.error()));
  }
  if (!*user || (*user)->id != (*token)->user_id) {
    return invalid();
  }
  const auto now = core::unix_seconds(services_.clock.system_now());
  if (now - (*token)->last_used_at >= kLastUsedPrecision.count()) {
    // Losing this write loses only the "last used" date; the request goes ahead.
    (void)services_.store.set_api_token_used((*token)->id, now);
  }
  std::vector<Scope> scopes;
  for (const auto& name : (*token)->scopes) {
    if (const auto scope = scope_from_name(name)) {
      scopes.push_back(*scope);
    }
  }
  return Authenticated{Caller{(*user)->id, (*user)->name, (*user)->role, std::move(scopes)},
                       std::nullopt};
}

std::expected<Authenticated, http::Response>
Authenticator::by_session(const http::Request& request, std::string_view session_id) {
  const auto expired = [&] {
    return std::unexpected(unauthenticated(request, "the session has ended; log in again", false));
  };
  auto session = sessions_.find(session_id);
  if (!session) {
    return expired();
  }
  auto user = services_.store.find_user(session->user_name);
  if (!user) {
    return std::unexpected(unavailable(request, user.error()));
  }
  if (!*user || (*user)->id != session->user_id) {
    sessions_.close(session_id);
    return expired();
  }
  return Authenticated{Caller{(*user)->id, (*user)->name, (*user)->role, std::nullopt},
                       std::move(session->csrf_token)};
}

std::optional<http::Response> Authenticator::authorize(const http::Request& request,
                                                       const Route& route,
                                                       const Authenticated& who) const {
  if (route.audience == Audience::admins && !who.caller.is_admin()) {
    return problem(request, http::Status::forbidden, "only administrators may do this");
  }
  if (!who.caller.may(route.scope)) {
    return missing_scope(request, route.scope);
  }
  if (who.csrf_token && changes_something(request.method())) {
    const auto sent = request[kCsrfHeader];
    if (sent.empty() || !same_secret(sent, *who.csrf_token)) {
      return problem(request, http::Status::forbidden,
                     "send the session's csrf_token in the X-CSRF-Token header", kCsrfHeader);
    }
  }
  return std::nullopt;
}

http::Response Authenticator::missing_scope(const http::Request& request, Scope scope) const {
  return problem(request, http::Status::forbidden,
                 fmt::format("the API token lacks the scope {}", scope_name(scope)));
}

} // namespace starling::api
