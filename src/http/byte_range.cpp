// The Range header's grammar (RFC 9110 §14.1.1), for one range.
#include "http/byte_range.h"

#include <algorithm>
#include <limits>
#include <optional>

#include <boost/beast/core/string.hpp>

#include "core/trim.h"

namespace starling::http {

namespace {

constexpr std::string_view kBytesUnit = "bytes";

bool is_ows(char c) {
  return c == ' ' || c == '\t';
}

// 1*DIGIT; a number too large for 64 bits stands for the largest, which is past any file.
std::optional<std::uint64_t> parse_digits(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    const auto digit = static_cast<std::uint64_t>(c - '0');
    value = value > (kMax - digit) / 10 ? kMax : value * 10 + digit;
  }
  return value;
}

} // namespace

RangeChoice choose_range(std::string_view value, std::uint64_t size) {
  constexpr RangeChoice kWhole{};
  constexpr RangeChoice kUnsatisfiable{.kind = RangeChoice::Kind::unsatisfiable, .range = {}};
  const auto equals = value.find('=');
  if (equals == std::string_view::npos ||
      !boost::beast::iequals(value.substr(0, equals), kBytesUnit)) {
    return kWhole;
  }
  const auto spec = core::trim(value.substr(equals + 1), is_ows);
  const auto dash = spec.find('-');
  if (spec.find(',') != std::string_view::npos || dash == std::string_view::npos) {
    return kWhole;
  }
  const auto first_text = spec.substr(0, dash);
  const auto last_text = spec.substr(dash + 1);
  if (first_text.empty()) { // suffix-range: the last N bytes
    const auto suffix = parse_digits(last_text);
    if (!suffix) {
      return kWhole;
    }
    if (*suffix == 0 || size == 0) {
      return kUnsatisfiable;
    }
    return {.kind = RangeChoice::Kind::partial,
            .range = {.first = size - std::min(*suffix, size), .last = size - 1}};
  }
  const auto first = parse_digits(first_text);
  const auto last = last_text.empty() ? std::optional(std::numeric_limits<std::uint64_t>::max())
                                      : parse_digits(last_text);
  if (!first || !last || *last < *first) {
    return kWhole; // not a valid range-spec
  }
  if (*first >= size) {
    return kUnsatisfiable;
  }
  return {.kind = RangeChoice::Kind::partial,
          .range = {.first = *first, .last = std::min(*last, size - 1)}};
}

} // namespace starling::http
