// What a dialled or received number may contain, and the errors numbers are refused with.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

namespace starling::pbx {

// E.164 allows 15 digits; an international prefix, a carrier-selection prefix and an
// outside-line digit add fewer than 10. Longer strings are not numbers (a Request-URI user
// can be anything), and refusing them first bounds all work done on them.
inline constexpr std::size_t kMaxDialledLength = 32;

// ITU-T E.164 §6: at most 15 digits after the "+".
inline constexpr std::size_t kMaxE164Digits = 15;

enum class NumberProblem {
  empty,        // nothing was dialled
  too_long,     // longer than kMaxDialledLength
  not_dialable, // holds characters other than 0-9 * # +, or a + not at the start
  incomplete,   // a prefix with nothing after it ("+")
  malformed,    // dialable characters that make no telephone number ("+0…", E.164 too long)
  not_external, // an internal, emergency or feature-code number where a public one is needed
};

// Messages never repeat the number: it may come from the network, and the message may end
// up in a SIP reason phrase or a log line.
struct NumberError {
  NumberProblem problem;
  std::string message;
};

// Whether `c` can be dialled on a phone's keypad: 0-9, *, #, and + (for E.164).
constexpr bool is_dial_character(char c) {
  return (c >= '0' && c <= '9') || c == '*' || c == '#' || c == '+';
}

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Accepts a non-empty string of at most kMaxDialledLength dial characters with any "+" at
// the start only.
std::expected<void, NumberError> check_dialled(std::string_view dialled);

} // namespace starling::pbx
