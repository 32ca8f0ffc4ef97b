// Members of a JSON request body, read with problems (422) that name the member at fault.
#include "api/request_fields.h"

#include <algorithm>

#include <fmt/format.h>

#include "api/problem.h"

namespace starling::api {

namespace {

http::Response unprocessable(const http::Request& request, std::string_view detail,
                             std::string_view member) {
  return problem(request, http::Status::unprocessable_entity, detail, pointer_to(member));
}

} // namespace

std::string pointer_to(std::string_view member) {
  return fmt::format("/{}", member);
}

Field<std::optional<std::string>> optional_string(const http::Request& request,
                                                  const boost::json::object& body,
                                                  std::string_view member) {
  const auto* value = body.if_contains(member);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_string()) {
    return std::unexpected(
        unprocessable(request, fmt::format("{} must be a string", member), member));
  }
  return std::string(value->as_string());
}

Field<std::string> required_string(const http::Request& request, const boost::json::object& body,
                                   std::string_view member) {
  auto value = optional_string(request, body, member);
  if (!value) {
    return std::unexpected(std::move(value.error()));
  }
  if (!*value) {
    return std::unexpected(unprocessable(request, fmt::format("{} is required", member), member));
  }
  return std::move(**value);
}

Field<std::optional<std::vector<std::string>>> optional_strings(const http::Request& request,
                                                                const boost::json::object& body,
                                                                std::string_view member) {
  const auto* value = body.if_contains(member);
  if (value == nullptr) {
    return std::nullopt;
  }
  const auto wrong = [&] {
    return std::unexpected(
        unprocessable(request, fmt::format("{} must be a list of strings", member), member));
  };
  if (!value->is_array()) {
    return wrong();
  }
  std::vector<std::string> strings;
  for (const auto& item : value->as_array()) {
    if (!item.is_string()) {
      return wrong();
    }
    strings.emplace_back(item.as_string());
  }
  return strings;
}

Field<std::optional<std::int64_t>> optional_integer(const http::Request& request,
                                                    const boost::json::object& body,
                                                    std::string_view member, std::int64_t min,
                                                    std::int64_t max) {
  const auto* value = body.if_contains(member);
  if (value == nullptr) {
    return std::nullopt;
  }
  // A uint64 beyond the int64 range is out of every range we take.
  if (!value->is_int64() || value->as_int64() < min || value->as_int64() > max) {
    return std::unexpected(unprocessable(
        request, fmt::format("{} must be a whole number from {} to {}", member, min, max), member));
  }
  return value->as_int64();
}

Field<std::optional<bool>> optional_bool(const http::Request& request,
                                         const boost::json::object& body, std::string_view member) {
  const auto* value = body.if_contains(member);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_bool()) {
    return std::unexpected(
        unprocessable(request, fmt::format("{} must be true or false", member), member));
  }
  return value->as_bool();
}

bool has_control_character(std::string_view text) {
  return std::ranges::any_of(text, [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

std::optional<http::Response> unknown_member(const http::Request& request,
                                             const boost::json::object& body,
                                             std::initializer_list<std::string_view> known) {
  return unknown_member(request, body,
                        std::span<const std::string_view>(known.begin(), known.size()));
}

std::optional<http::Response> unknown_member(const http::Request& request,
                                             const boost::json::object& body,
                                             std::span<const std::string_view> known) {
  for (const auto& member : body) {
    const std::string_view key = member.key();
    if (std::ranges::find(known, key) == known.end()) {
      return unprocessable(
          request, fmt::format("{} is not a member this resource has", member.key()), member.key());
    }
  }
  return std::nullopt;
}

} // namespace starling::api
