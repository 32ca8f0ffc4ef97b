// Fresh tags, branches and Call-IDs: 64 random bits each, from a per-thread generator.
#include "sip/identifiers.h"

#include <cstdint>
#include <random>
#include <string_view>

namespace starling::sip {
namespace {

std::uint64_t random_bits() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return generator();
}

// 16 lowercase hex digits of fresh random bits. By hand, not fmt: a tag is made for every
// answer, and parsing "{:016x}" cost more than the rest of the answer's tag and key together.
void append_random_hex(std::string& out) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  const std::uint64_t bits = random_bits();
  for (int shift = 60; shift >= 0; shift -= 4) {
    out.push_back(kDigits[(bits >> static_cast<unsigned>(shift)) & 0xfU]);
  }
}

} // namespace

std::string new_tag() {
  std::string tag;
  append_random_hex(tag);
  return tag;
}

std::string new_branch() {
  std::string branch = "z9hG4bK";
  append_random_hex(branch);
  return branch;
}

std::string new_call_id() {
  std::string call_id;
  append_random_hex(call_id);
  append_random_hex(call_id);
  return call_id;
}

} // namespace starling::sip
