// Points in time as query parameters take them: Unix seconds or an RFC 3339 date-time.
#include "api/time_parameter.h"

#include <algorithm>
#include <charconv>
#include <chrono>

namespace starling::api {

namespace {

constexpr std::string_view kExpected =
    "expected Unix seconds or an RFC 3339 date-time such as 2026-01-01T00:00:00Z";

// Reads exactly `digits` decimal digits at `at`, and moves past them.
bool read_number(std::string_view text, std::size_t& at, std::size_t digits, int& value) {
  if (at + digits > text.size()) {
    return false;
  }
  const char* first = text.data() + at;
  const auto [end, error] = std::from_chars(first, first + digits, value);
  if (error != std::errc{} || end != first + digits || *first == '-' || *first == '+') {
    return false;
  }
  at += digits;
  return true;
}

bool expect(std::string_view text, std::size_t& at, std::string_view choices) {
  if (at >= text.size() || choices.find(text[at]) == std::string_view::npos) {
    return false;
  }
  ++at;
  return true;
}

// RFC 3339 §5.6: full-date "T" full-time, the offset "Z" or "+hh:mm" / "-hh:mm".
std::expected<store::UnixTime, std::string> parse_date_time(std::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::size_t at = 0;
  if (!read_number(text, at, 4, year) || !expect(text, at, "-") ||
      !read_number(text, at, 2, month) || !expect(text, at, "-") ||
      !read_number(text, at, 2, day) || !expect(text, at, "Tt") ||
      !read_number(text, at, 2, hour) || !expect(text, at, ":") ||
      !read_number(text, at, 2, minute) || !expect(text, at, ":") ||
      !read_number(text, at, 2, second)) {
    return std::unexpected(std::string(kExpected));
  }
  if (at < text.size() && text[at] == '.') {
    ++at;
    const std::size_t digits = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      ++at;
    }
    if (at == digits) {
      return std::unexpected(std::string(kExpected));
    }
  }
  int offset_seconds = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-' || text[at] == ' ')) {
    const int sign = text[at++] == '-' ? -1 : 1;
    int offset_hours = 0;
    int offset_minutes = 0;
    if (!read_number(text, at, 2, offset_hours) || !expect(text, at, ":") ||
        !read_number(text, at, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return std::unexpected(std::string(kExpected));
    }
    offset_seconds = sign * (offset_hours * 3600 + offset_minutes * 60);
  } else {
    return std::unexpected("the date-time needs a time zone offset, such as Z for UTC");
  }
  if (at != text.size()) {
    return std::unexpected(std::string(kExpected));
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  // Second 60 is a leap second (RFC 3339 §5.7); Unix time has none and counts it as 59.
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) {
    return std::unexpected("no such date or time of day");
  }
  const auto days = std::chrono::sys_days(date).time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(days).count() +
         std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + std::min(second, 59) -
         offset_seconds;
}

} // namespace

std::expected<store::UnixTime, std::string> parse_time(std::string_view text) {
  store::UnixTime seconds = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (!text.empty() && error == std::errc{} && end == text.data() + text.size()) {
    return seconds;
  }
  return parse_date_time(text);
}

} // namespace starling::api
