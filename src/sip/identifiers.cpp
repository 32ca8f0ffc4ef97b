// Fresh tags, branches and Call-IDs: 64 random bits each, from a per-thread generator.
#include "sip/identifiers.h"

#include <random>

#include <fmt/format.h>

namespace starling::sip {
namespace {

std::uint64_t random_bits() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return generator();
}

} // namespace

std::string new_tag() {
  return fmt::format("{:016x}", random_bits());
}

std::string new_branch() {
  return fmt::format("z9hG4bK{:016x}", random_bits());
}

std::string new_call_id() {
  return fmt::format("{:016x}{:016x}", random_bits(), random_bits());
}

} // namespace starling::sip
