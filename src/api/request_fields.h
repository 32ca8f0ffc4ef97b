// Members of a JSON request body, read with problems (422) that name the member at fault.
#pragma once

#include <cstdint>
#include <expected>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "http/handler.h"

namespace starling::api {

template <typename T> using Field = std::expected<T, http::Response>;

// A string member; nothing when the body has none, a 422 when it is not a string.
Field<std::optional<std::string>> optional_string(const http::Request& request,
                                                  const boost::json::object& body,
                                                  std::string_view member);
// A string member that must be there.
Field<std::string> required_string(const http::Request& request, const boost::json::object& body,
                                   std::string_view member);
// A list of strings; nothing when absent.
Field<std::optional<std::vector<std::string>>> optional_strings(const http::Request& request,
                                                                const boost::json::object& body,
                                                                std::string_view member);

// A whole number in [min, max]; nothing when absent, a 422 for anything else (5.5, "5").
Field<std::optional<std::int64_t>> optional_integer(const http::Request& request,
                                                    const boost::json::object& body,
                                                    std::string_view member, std::int64_t min,
                                                    std::int64_t max);
// true or false; nothing when absent.
Field<std::optional<bool>> optional_bool(const http::Request& request,
                                         const boost::json::object& body, std::string_view member);

// Whether `text` holds a control character (CR, LF, NUL …): such values would end up in SIP
// headers and log lines, where they could start a header or a line of their own.
bool has_control_character(std::string_view text);

// A 422 for the first member not in `known`, so a typo ("dispaly_name") is not silently ignored.
std::optional<http::Response> unknown_member(const http::Request& request,
                                             const boost::json::object& body,
                                             std::initializer_list<std::string_view> known);
std::optional<http::Response> unknown_member(const http::Request& request,
                                             const boost::json::object& body,
                                             std::span<const std::string_view> known);

// "/name": the JSON pointer a problem's "field" uses for a member.
std::string pointer_to(std::string_view member);

} // namespace starling::api
