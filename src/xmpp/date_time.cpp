// XEP-0082 DateTime, formatted from and parsed into system_clock time points.
#include "xmpp/date_time.h"

#include <charconv>

#include <fmt/chrono.h>

#include "core/utc_time.h"

namespace starling::xmpp {

namespace {

// Reads exactly `digits` decimal digits at `text`'s front and drops them.
std::optional<int> take_number(std::string_view& text, std::size_t digits) {
  if (text.size() < digits) {
    return std::nullopt;
  }
  int value = 0;
  const auto* end = text.data() + digits;
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || stop != end) {
    return std::nullopt;
  }
  text.remove_prefix(digits);
  return value;
}

bool take_char(std::string_view& text, char expected) {
  if (text.empty() || text.front() != expected) {
    return false;
  }
  text.remove_prefix(1);
  return true;
}

// The zone designator: "Z" or ±hh:mm, as an offset east of UTC.
std::optional<std::chrono::minutes> take_zone(std::string_view& text) {
  if (take_char(text, 'Z')) {
    return std::chrono::minutes(0);
  }
  if (text.empty() || (text.front() != '+' && text.front() != '-')) {
    return std::nullopt;
  }
  const int sign = text.front() == '-' ? -1 : 1;
  text.remove_prefix(1);
  const auto hours = take_number(text, 2);
  if (!hours || !take_char(text, ':')) {
    return std::nullopt;
  }
  const auto minutes = take_number(text, 2);
  if (!minutes || *hours > 23 || *minutes > 59) {
    return std::nullopt;
  }
  return std::chrono::minutes(sign * (*hours * 60 + *minutes));
}

} // namespace

std::string to_date_time(std::chrono::system_clock::time_point time) {
  return fmt::format("{:%FT%TZ}", core::utc_fields(time));
}

std::optional<std::chrono::system_clock::time_point> parse_date_time(std::string_view text) {
  using namespace std::chrono;
  const auto year = take_number(text, 4);
  if (!year || !take_char(text, '-')) {
    return std::nullopt;
  }
  const auto month = take_number(text, 2);
  if (!month || !take_char(text, '-')) {
    return std::nullopt;
  }
  const auto day = take_number(text, 2);
  if (!day || !take_char(text, 'T')) {
    return std::nullopt;
  }
  const auto hour = take_number(text, 2);
  if (!hour || !take_char(text, ':')) {
    return std::nullopt;
  }
  const auto minute = take_number(text, 2);
  if (!minute || !take_char(text, ':')) {
    return std::nullopt;
  }
  const auto second = take_number(text, 2);
  if (!second) {
    return std::nullopt;
  }
  microseconds fraction{0};
  if (take_char(text, '.')) {
    // Any number of digits; those beyond microseconds are ignored.
    int digits = 0;
    while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
      if (digits++ < 6) {
        fraction = fraction * 10 + microseconds(text.front() - '0');
      }
      text.remove_prefix(1);
    }
    if (digits == 0) {
      return std::nullopt;
    }
    for (; digits < 6; ++digits) {
      fraction *= 10;
    }
  }
  const auto zone = take_zone(text);
  const year_month_day date{std::chrono::year(*year),
                            std::chrono::month(static_cast<unsigned>(*month)),
                            std::chrono::day(static_cast<unsigned>(*day))};
  if (!zone || !text.empty() || !date.ok() || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  // A leap second (:60) counts as the next second's start; system_clock has none.
  return sys_days(date) + hours(*hour) + minutes(*minute) + seconds(*second) + fraction - *zone;
}

} // namespace starling::xmpp
