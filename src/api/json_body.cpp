// JSON responses, request bodies, ETags and pagination for route handlers.
#include "api/json_body.h"

#include <algorithm>
#include <array>
#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>

#include "api/problem.h"

namespace starling::api {

namespace {

constexpr std::size_t kMaxPageSize = 500;

std::expected<std::size_t, http::Response>
size_parameter(const ApiCall& call, std::string_view name, std::size_t fallback) {
  const auto found = call.query.find(name);
  if (found == call.query.end()) {
    return fallback;
  }
  const std::string text = (*found).value;
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
    return std::unexpected(problem(call.request, http::Status::bad_request,
                                   fmt::format("{} must be a whole number", name), name));
  }
  return value;
}

} // namespace

http::Response json_response(const http::Request& request, http::Status status,
                             const boost::json::value& body, std::string_view etag) {
  http::Response response{status, request.version()};
  response.set(http::Field::content_type, "application/json");
  if (!etag.empty()) {
    response.set(http::Field::etag, etag);
  }
  response.keep_alive(request.keep_alive());
  response.body() = boost::json::serialize(body);
  response.prepare_payload();
  return response;
}

http::Response no_content(const http::Request& request) {
  http::Response response{http::Status::no_content, request.version()};
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

std::expected<boost::json::object, http::Response> json_object_body(const http::Request& request) {
  const auto type = request[http::Field::content_type];
  if (!type.starts_with("application/json")) {
    return std::unexpected(problem(request, http::Status::unsupported_media_type,
                                   "send the body as application/json"));
  }
  boost::system::error_code error;
  auto value = boost::json::parse(request.body(), error);
  if (error) {
    return std::unexpected(problem(request, http::Status::bad_request,
                                   fmt::format("the body is not valid JSON: {}", error.message())));
  }
  if (!value.is_object()) {
    return std::unexpected(
        problem(request, http::Status::bad_request, "the body must be a JSON object"));
  }
  return std::move(value.as_object());
}

std::string etag_of(const boost::json::value& representation) {
  const std::string text = boost::json::serialize(representation);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
  // 128 bits are plenty to tell versions of one resource apart.
  std::string tag = "\"";
  for (std::size_t i = 0; i < 16 && i < length; ++i) {
    tag += fmt::format("{:02x}", digest.at(i));
  }
  return tag + "\"";
}

std::optional<http::Response> failed_precondition(const http::Request& request,
                                                  std::string_view current_etag) {
  const auto found = request.find(http::Field::if_match);
  if (found == request.end()) {
    return std::nullopt;
  }
  std::string_view wanted = found->value();
  while (!wanted.empty()) {
    const auto comma = wanted.find(',');
    std::string_view tag = wanted.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') {
      tag.remove_prefix(1);
    }
    while (!tag.empty() && tag.back() == ' ') {
      tag.remove_suffix(1);
    }
    if (tag == "*" || tag == current_etag) {
      return std::nullopt;
    }
    wanted = comma == std::string_view::npos ? std::string_view{} : wanted.substr(comma + 1);
  }
  return problem(request, http::Status::precondition_failed,
                 "the resource changed since it was read; read it again and retry", "If-Match");
}

std::expected<Page, http::Response> page_of(const ApiCall& call) {
  Page page;
  auto limit = size_parameter(call, "limit", page.limit);
  if (!limit) {
    return std::unexpected(std::move(limit.error()));
  }
  if (*limit == 0 || *limit > kMaxPageSize) {
    return std::unexpected(problem(call.request, http::Status::bad_request,
                                   fmt::format("limit must be 1 to {}", kMaxPageSize), "limit"));
  }
  auto offset = size_parameter(call, "offset", 0);
  if (!offset) {
    return std::unexpected(std::move(offset.error()));
  }
  page.limit = *limit;
  page.offset = *offset;
  return page;
}

boost::json::object paged(boost::json::array all_items, const Page& page) {
  const std::size_t total = all_items.size();
  boost::json::array items;
  for (std::size_t i = page.offset; i < total && i < page.offset + page.limit; ++i) {
    items.push_back(std::move(all_items[i]));
  }
  return {{"items", std::move(items)},
          {"total", total},
          {"limit", page.limit},
          {"offset", page.offset}};
}

} // namespace starling::api
