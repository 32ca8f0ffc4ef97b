// A dial pattern in the usual PBX notation, compiled once and matched against dialled numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace starling::pbx {

// Patterns are typed by operators; 64 characters is far more than any real one
// ("00[1-9]XXXXXXX." is 15) and bounds the work a stored pattern can cause.
inline constexpr std::size_t kMaxDialPatternLength = 64;

// `message` is a whole sentence for the API and CLI, naming the pattern and the 1-based
// position: "pattern '0N[9-': unclosed [ at position 3".
struct DialPatternError {
  std::size_t position = 0; // 1-based; 0 when the pattern as a whole is wrong
  std::string message;
};

// Notation: 0-9, *, # and + match themselves; X any digit, N 2-9, Z 1-9 (upper or lower
// case); [1-5] or [147] one digit of a class; a trailing . one or more further dial
// characters, a trailing ! zero or more. Without . or ! the length must match exactly.
class DialPattern {
public:
  static std::expected<DialPattern, DialPatternError> parse(std::string_view text);

  // False for anything that is not made of dial characters (0-9 * # +).
  [[nodiscard]] bool matches(std::string_view dialled) const;

  // The fewest characters a matching number has (what a rule may strip at most).
  [[nodiscard]] std::size_t min_length() const;

  // The pattern as the operator wrote it.
  [[nodiscard]] const std::string& text() const { return text_; }

private:
  enum class Tail { none, one_or_more, zero_or_more };
  // One bit per dial character, indexed as in the .cpp's dial_index().
  using CharSet = std::uint16_t;

  DialPattern(std::string text, std::vector<CharSet> positions, Tail tail);

  std::string text_;
  std::vector<CharSet> positions_; // what each leading character may be
  Tail tail_ = Tail::none;
};

} // namespace starling::pbx
