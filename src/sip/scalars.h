// Parsers for the numeric header values: CSeq, Max-Forwards, Content-Length, delta-seconds.
#pragma once

#include <cstdint>
#include <expected>
#include <string_view>

#include "sip/method.h"
#include "sip/parse_error.h"

namespace starling::sip {

// CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16)
struct CSeq {
  std::uint32_t number = 0; // < 2**31 (§8.1.1.5)
  std::string_view method;
  Method method_id = Method::unknown;
};

std::expected<CSeq, ValueError> parse_cseq(std::string_view value);

// Max-Forwards = 1*DIGIT, 0–255 (§20.22). Leading zeros are allowed ("0068" is 68).
std::expected<std::uint32_t, ValueError> parse_max_forwards(std::string_view value);

// Content-Length = 1*DIGIT (§20.14); anything above kMaxMessageSize cannot be satisfied.
std::expected<std::uint64_t, ValueError> parse_content_length(std::string_view value);

// delta-seconds = 1*DIGIT, at most 2**32-1 (§20.19): Expires, Min-Expires, expires=.
std::expected<std::uint32_t, ValueError> parse_delta_seconds(std::string_view value);

// 1*DIGIT no larger than `max`.
std::expected<std::uint64_t, ValueError> parse_decimal(std::string_view digits, std::uint64_t max);

} // namespace starling::sip
