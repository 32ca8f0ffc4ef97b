// The TTL of a DNS response's answer records (RFC 1035 §4.1), which c-ares 1.18 parses for A and
// AAAA but not for NAPTR and SRV records.
#include "net/dns_answer_ttl.h"

#include <algorithm>
#include <cstddef>

namespace starling::net {
namespace {

constexpr std::size_t kHeaderSize = 12;
constexpr std::size_t kQuestionCountOffset = 4;
constexpr std::size_t kAnswerCountOffset = 6;
constexpr std::size_t kQuestionFixedSize = 4;      // QTYPE, QCLASS
constexpr std::size_t kRecordFixedSize = 10;       // TYPE, CLASS, TTL, RDLENGTH
constexpr std::size_t kTtlOffset = 4;              // within the fixed part
constexpr std::size_t kRdLengthOffset = 8;         // within the fixed part
constexpr unsigned kPointerBits = 0xC0;            // RFC 1035 §4.1.4 message compression
constexpr std::uint32_t kLargestTtl = 0x7FFF'FFFF; // RFC 2181 §8

std::uint16_t read16(std::span<const unsigned char> bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8U) | bytes[at + 1]);
}

std::uint32_t read32(std::span<const unsigned char> bytes, std::size_t at) {
  return (std::uint32_t{read16(bytes, at)} << 16U) | read16(bytes, at + 2);
}

// The offset just past the (possibly compressed) name at `at`, or none if it runs off the end.
std::optional<std::size_t> skip_name(std::span<const unsigned char> bytes, std::size_t at) {
  while (at < bytes.size()) {
    const unsigned length = bytes[at];
    if ((length & kPointerBits) == kPointerBits) {
      return at + 2 <= bytes.size() ? std::optional(at + 2) : std::nullopt;
    }
    if ((length & kPointerBits) != 0) {
      return std::nullopt; // the reserved label types 01 and 10
    }
    at += 1 + length;
    if (length == 0) {
      return at;
    }
  }
  return std::nullopt;
}

} // namespace

std::optional<std::uint32_t> smallest_answer_ttl(std::span<const unsigned char> response) {
  if (response.size() < kHeaderSize) {
    return std::nullopt;
  }
  const unsigned questions = read16(response, kQuestionCountOffset);
  const unsigned answers = read16(response, kAnswerCountOffset);
  std::size_t at = kHeaderSize;
  for (unsigned i = 0; i < questions; ++i) {
    const auto end = skip_name(response, at);
    if (!end || *end + kQuestionFixedSize > response.size()) {
      return std::nullopt;
    }
    at = *end + kQuestionFixedSize;
  }
  std::optional<std::uint32_t> smallest;
  for (unsigned i = 0; i < answers; ++i) {
    const auto end = skip_name(response, at);
    if (!end || *end + kRecordFixedSize > response.size()) {
      return std::nullopt;
    }
    std::uint32_t ttl = read32(response, *end + kTtlOffset);
    if (ttl > kLargestTtl) {
      ttl = 0;
    }
    smallest = std::min(smallest.value_or(ttl), ttl);
    at = *end + kRecordFixedSize + read16(response, *end + kRdLengthOffset);
    if (at > response.size()) {
      return std::nullopt;
    }
  }
  return smallest;
}

} // namespace starling::net
