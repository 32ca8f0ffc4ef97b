// Parsing and matching of dial patterns.
#include "pbx/dial_pattern.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "pbx/dialled_number.h"

namespace starling::pbx {
namespace {

// Bits 0-9 are the digits, then *, # and +.
std::optional<unsigned> dial_index(char c) {
  if (is_digit(c)) {
    return static_cast<unsigned>(c - '0');
  }
  switch (c) {
  case '*':
    return 10U;
  case '#':
    return 11U;
  case '+':
    return 12U;
  default:
    return std::nullopt;
  }
}

std::uint16_t digit_range(char first, char last) {
  std::uint16_t set = 0;
  for (char c = first; c <= last; ++c) {
    set |= static_cast<std::uint16_t>(1U << static_cast<unsigned>(c - '0'));
  }
  return set;
}

// Shows a character the operator typed; control bytes are shown by code so the message stays
// one readable line.
std::string describe(char c) {
  const auto code = static_cast<unsigned char>(c);
  if (code < 0x20 || code >= 0x7f) {
    return "character " + std::to_string(code);
  }
  return std::string("'") + c + "'";
}

class PatternParser {
public:
  explicit PatternParser(std::string_view text) : text_(text) {}

  // Returns the character set of each position and the tail, or the first error.
  std::expected<std::pair<std::vector<std::uint16_t>, char>, DialPatternError> run() {
    std::vector<std::uint16_t> positions;
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '.' || c == '!') {
        if (at_ + 1 != text_.size()) {
          return fail(std::string("'") + c + "' may only end the pattern", at_);
        }
        return std::pair{std::move(positions), c};
      }
      auto set = c == '[' ? digit_class() : single(c);
      if (!set) {
        return std::unexpected(std::move(set.error()));
      }
      positions.push_back(*set);
    }
    return std::pair{std::move(positions), '\0'};
  }

private:
  std::expected<std::uint16_t, DialPatternError> single(char c) {
    const std::size_t where = at_++;
    if (const auto index = dial_index(c)) {
      return static_cast<std::uint16_t>(1U << *index);
    }
    switch (c) {
    case 'X':
    case 'x':
      return digit_range('0', '9');
    case 'N':
    case 'n':
      return digit_range('2', '9');
    case 'Z':
    case 'z':
      return digit_range('1', '9');
    case ']':
      return fail("] without [", where);
    default:
      return fail(describe(c) + " is not allowed", where);
    }
  }

  // [147] or [1-5], or any mix of both ([1-35]); digits only.
  std::expected<std::uint16_t, DialPatternError> digit_class() {
    const std::size_t open = at_++;
    std::uint16_t set = 0;
    while (at_ < text_.size() && text_[at_] != ']') {
      const char first = text_[at_];
      if (!is_digit(first)) {
        return fail(describe(first) + " is not a digit in [ ]", at_);
      }
      char last = first;
      if (at_ + 1 < text_.size() && text_[at_ + 1] == '-') {
        if (at_ + 2 >= text_.size()) {
          return fail("unclosed [", open);
        }
        last = text_[at_ + 2];
        if (!is_digit(last)) {
          return fail(describe(last) + " is not a digit in [ ]", at_ + 2);
        }
        if (last < first) {
          return fail(std::string("range ") + first + "-" + last + " runs backwards", at_);
        }
        at_ += 2;
      }
      set |= digit_range(first, last);
      ++at_;
    }
    if (at_ >= text_.size()) {
      return fail("unclosed [", open);
    }
    if (set == 0) {
      return fail("empty [ ]", open);
    }
    ++at_; // the ]
    return set;
  }

  std::unexpected<DialPatternError> fail(const std::string& what, std::size_t index) const {
    const std::size_t position = index + 1;
    return std::unexpected(DialPatternError{position, "pattern '" + std::string(text_) +
                                                          "': " + what + " at position " +
                                                          std::to_string(position)});
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

} // namespace

std::expected<DialPattern, DialPatternError> DialPattern::parse(std::string_view text) {
  if (text.empty()) {
    return std::unexpected(DialPatternError{0, "the pattern is empty"});
  }
  if (text.size() > kMaxDialPatternLength) {
    // The text is not repeated: it is too long to read in a message.
    return std::unexpected(DialPatternError{0, "a pattern of " + std::to_string(text.size()) +
                                                   " characters is longer than the limit of " +
                                                   std::to_string(kMaxDialPatternLength)});
  }
  auto parsed = PatternParser(text).run();
  if (!parsed) {
    return std::unexpected(std::move(parsed.error()));
  }
  auto& [positions, tail_char] = *parsed;
  Tail tail = Tail::none;
  if (tail_char == '.') {
    tail = Tail::one_or_more;
  } else if (tail_char == '!') {
    tail = Tail::zero_or_more;
  }
  return DialPattern(std::string(text), std::move(positions), tail);
}

DialPattern::DialPattern(std::string text, std::vector<CharSet> positions, Tail tail)
    : text_(std::move(text)), positions_(std::move(positions)), tail_(tail) {}

bool DialPattern::matches(std::string_view dialled) const {
  if (dialled.size() < positions_.size()) {
    return false;
  }
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    const auto index = dial_index(dialled[i]);
    if (!index || (positions_[i] & (1U << *index)) == 0) {
      return false;
    }
  }
  const std::string_view rest = dialled.substr(positions_.size());
  switch (tail_) {
  case Tail::none:
    return rest.empty();
  case Tail::one_or_more:
    return !rest.empty() && std::ranges::all_of(rest, is_dial_character);
  case Tail::zero_or_more:
    return std::ranges::all_of(rest, is_dial_character);
  }
  return false;
}

std::size_t DialPattern::min_length() const {
  return positions_.size() + (tail_ == Tail::one_or_more ? 1 : 0);
}

} // namespace starling::pbx
