// One DID entry of a trunk: a single number, a range of numbers or a dial pattern.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "pbx/dial_pattern.h"
#include "pbx/numbering_plan.h"
#include "pbx/routing_config_error.h"

namespace starling::pbx {

// In order of precedence: where entries overlap, a number beats a range beats a pattern.
enum class DidKind { number, range, pattern };

// Entries are compared in E.164. Numbers and range ends may be written in any form a
// provider sends (see NumberingPlan::received_to_e164); patterns match the E.164 form and
// so must start with "+".
//   "+49301234567"                 a number
//   "+49301234500-+49301234599"    a range, both ends of the same length
//   "+4930123450X"                 a pattern (anything with X, N, Z, [, . or !)
class DidMatch {
public:
  static std::expected<DidMatch, RoutingConfigError> parse(std::string_view text,
                                                           const NumberingPlan& plan);

  [[nodiscard]] bool matches(std::string_view e164) const;

  [[nodiscard]] DidKind kind() const { return kind_; }

  // How many numbers the entry covers: 1 for a number; among overlapping ranges the
  // narrower wins. 0 for patterns, which are not compared by size.
  [[nodiscard]] std::uint64_t size() const { return size_; }

  // In E.164: the number of a single-number entry, the first of a range; empty for patterns.
  [[nodiscard]] const std::string& first_number() const { return first_; }

  [[nodiscard]] const std::string& text() const { return text_; }

private:
  DidMatch(std::string text, DidKind kind) : text_(std::move(text)), kind_(kind) {}

  std::string text_;
  DidKind kind_;
  std::string first_; // E.164; the range's first number or the single number
  std::string last_;  // E.164; the range's last number
  std::uint64_t size_ = 0;
  std::optional<DialPattern> pattern_;
};

} // namespace starling::pbx
