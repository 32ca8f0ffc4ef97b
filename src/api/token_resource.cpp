// /tokens: API tokens for scripts; each user manages their own, an administrator sees all.
#include <charconv>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/api_token.h"
#include "api/directory_json.h"
#include "api/json_body.h"
#include "api/problem.h"
#include "api/request_fields.h"
#include "api/resources.h"

namespace starling::api {

namespace {

// A token's name is a label for people ("backup script"); bounded so a list stays readable.
constexpr std::size_t kMaxTokenNameLength = 100;

boost::json::object token_json(const store::ApiToken& token) {
  boost::json::array scopes;
  for (const auto& scope : token.scopes) {
    scopes.emplace_back(scope);
  }
  return {{"id", token.id},
          {"name", token.name},
          {"user", token.user_name},
          {"scopes", std::move(scopes)},
          {"created_at", rfc3339(token.created_at)},
          {"last_used_at", rfc3339(token.last_used_at)}};
}

// A token could otherwise mint a token with more scopes than its own.
std::optional<http::Response> refuse_tokens(const ApiCall& call) {
  if (call.caller->token_scopes) {
    return problem(call.request, http::Status::forbidden,
                   "API tokens are managed from a login session, not with a token");
  }
  return std::nullopt;
}

http::Response list(ApiServices& services, const ApiCall& call) {
  if (auto refusal = refuse_tokens(call)) {
    return std::move(*refusal);
  }
  auto page = page_of(call);
  if (!page) {
    return std::move(page.error());
  }
  auto tokens = services.store.list_api_tokens(
      call.caller->is_admin() ? std::nullopt : std::optional(call.caller->user_id));
  if (!tokens) {
    return store_problem(call.request, tokens.error());
  }
  boost::json::array items;
  for (const auto& token : *tokens) {
    items.push_back(token_json(token));
  }
  return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
}

http::Response create(ApiServices& services, const ApiCall& call) {
  if (auto refusal = refuse_tokens(call)) {
    return std::move(*refusal);
  }
  auto body = json_object_body(call.request);
  if (!body) {
    return std::move(body.error());
  }
  if (auto unknown = unknown_member(call.request, *body, {"name", "scopes"})) {
    return std::move(*unknown);
  }
  auto name = required_string(call.request, *body, "name");
  if (!name) {
    return std::move(name.error());
  }
  if (name->empty() || name->size() > kMaxTokenNameLength) {
    return problem(call.request, http::Status::unprocessable_entity,
                   fmt::format("name must be 1 to {} characters", kMaxTokenNameLength), "/name");
  }
  auto scopes = optional_strings(call.request, *body, "scopes");
  if (!scopes) {
    return std::move(scopes.error());
  }
  if (!*scopes || (*scopes)->empty()) {
    return problem(call.request, http::Status::unprocessable_entity,
                   "scopes must list at least one scope, such as \"directory:read\"", "/scopes");
  }
  for (std::size_t i = 0; i < (*scopes)->size(); ++i) {
    if (!scope_from_name((**scopes)[i])) {
      return problem(call.request, http::Status::unprocessable_entity,
                     fmt::format("no scope named '{}'", (**scopes)[i]),
                     fmt::format("/scopes/{}", i));
    }
  }
  const std::string secret = new_token_secret();
  auto token = services.store.add_api_token(
      {call.caller->user_id, std::move(*name), token_hash(secret), std::move(**scopes)});
  if (!token) {
    return store_problem(call.request, token.error());
  }
  auto json = token_json(*token);
  json["token"] = secret;
  auto response = json_response(call.request, http::Status::created, json);
  response.set(http::Field::location, fmt::format("{}/tokens/{}", kApiPrefix, token->id));
  response.set(http::Field::cache_control, "no-store");
  return response;
}

http::Response remove(ApiServices& services, const ApiCall& call) {
  if (auto refusal = refuse_tokens(call)) {
    return std::move(*refusal);
  }
  const auto text = call.path_param("id");
  store::Id id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  const auto not_found = [&] {
    return problem(call.request, http::Status::not_found, fmt::format("no token {}", text));
  };
  if (error != std::errc{} || end != text.data() + text.size()) {
    return not_found();
  }
  auto tokens = services.store.list_api_tokens(
      call.caller->is_admin() ? std::nullopt : std::optional(call.caller->user_id));
  if (!tokens) {
    return store_problem(call.request, tokens.error());
  }
  const auto found = std::ranges::find(*tokens, id, &store::ApiToken::id);
  if (found == tokens->end()) {
    return not_found();
  }
  if (auto failed = failed_precondition(call.request, etag_of(token_json(*found)))) {
    return std::move(*failed);
  }
  if (auto removed = services.store.remove_api_token(id); !removed) {
    return store_problem(call.request, removed.error());
  }
  return no_content(call.request);
}

} // namespace

void add_token_routes(Router& router, ApiServices& services) {
  router.add({http::Verb::get, "/tokens", Audience::users, Scope::directory_read,
              [&services](const ApiCall& call) { return list(services, call); }});
  router.add({http::Verb::post, "/tokens", Audience::users, Scope::directory_write,
              [&services](const ApiCall& call) { return create(services, call); }});
  router.add({http::Verb::delete_, "/tokens/{id}", Audience::users, Scope::directory_write,
              [&services](const ApiCall& call) { return remove(services, call); }});
}

} // namespace starling::api
