// Numeric header values, with the ranges RFC 3261 gives them.
#include "sip/scalars.h"

#include "sip/detail/chars.h"
#include "sip/detail/scanner.h"
#include "sip/limits.h"

namespace starling::sip {

std::expected<std::uint64_t, ValueError> parse_decimal(std::string_view digits, std::uint64_t max) {
  if (digits.empty()) {
    return std::unexpected(ValueError{"missing number", 0});
  }
  std::uint64_t result = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const char c = digits[i];
    if (!detail::is_digit(c)) {
      return std::unexpected(ValueError{"not a number", i});
    }
    // Checked before multiplying, so 10**100 (RFC 4475 scalar02) cannot wrap around.
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (result > (max - digit) / 10) {
      return std::unexpected(ValueError{"number out of range", i});
    }
    result = result * 10 + digit;
  }
  return result;
}

std::expected<CSeq, ValueError> parse_cseq(std::string_view value) {
  detail::Scanner s{detail::trim_lws(value)};
  const std::string_view digits = s.take_while(detail::is_digit);
  const auto number = parse_decimal(digits, kMaxCSeqNumber);
  if (!number) {
    return std::unexpected(ValueError{number.error().reason, 0});
  }
  if (!s.skip_lws()) {
    return std::unexpected(ValueError{"missing method", s.pos()});
  }
  const std::string_view method = s.take_token();
  if (method.empty() || !s.at_end()) {
    return std::unexpected(ValueError{"malformed method", s.pos()});
  }
  return CSeq{static_cast<std::uint32_t>(*number), method, method_from_name(method)};
}

std::expected<std::uint32_t, ValueError> parse_max_forwards(std::string_view value) {
  const auto n = parse_decimal(detail::trim_lws(value), kMaxMaxForwards);
  if (!n) {
    return std::unexpected(n.error());
  }
  return static_cast<std::uint32_t>(*n);
}

std::expected<std::uint64_t, ValueError> parse_content_length(std::string_view value) {
  return parse_decimal(detail::trim_lws(value), kMaxMessageSize);
}

std::expected<std::uint32_t, ValueError> parse_delta_seconds(std::string_view value) {
  const auto n = parse_decimal(detail::trim_lws(value), kMaxDeltaSeconds);
  if (!n) {
    return std::unexpected(n.error());
  }
  return static_cast<std::uint32_t>(*n);
}

} // namespace starling::sip
