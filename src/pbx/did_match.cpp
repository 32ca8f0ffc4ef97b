// Parsing and matching of DID entries.
#include "pbx/did_match.h"

#include <charconv>
#include <utility>

namespace starling::pbx {
namespace {

std::unexpected<RoutingConfigError> config_error(std::string_view text, const std::string& what) {
  return std::unexpected(RoutingConfigError{"DID '" + std::string(text) + "': " + what});
}

bool looks_like_pattern(std::string_view text) {
  return text.find_first_of("XNZxnz[.!") != std::string_view::npos;
}

// Both ends have at most 15 digits, so the value fits in 64 bits.
std::uint64_t e164_value(std::string_view e164) {
  std::uint64_t value = 0;
  const std::string_view digits = e164.substr(1);
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

} // namespace

std::expected<DidMatch, RoutingConfigError> DidMatch::parse(std::string_view text,
                                                            const NumberingPlan& plan) {
  if (looks_like_pattern(text)) {
    if (!text.starts_with('+')) {
      return config_error(text, "a pattern is matched against E.164 numbers and must start "
                                "with +");
    }
    auto pattern = DialPattern::parse(text);
    if (!pattern) {
      return config_error(text, pattern.error().message);
    }
    DidMatch did(std::string(text), DidKind::pattern);
    did.pattern_ = std::move(*pattern);
    return did;
  }
  const auto dash = text.find('-');
  const std::string_view first_text = text.substr(0, dash);
  auto first = plan.received_to_e164(first_text);
  if (!first) {
    return config_error(text, first.error().message);
  }
  if (dash == std::string_view::npos) {
    DidMatch did(std::string(text), DidKind::number);
    did.first_ = *first;
    did.last_ = std::move(*first);
    did.size_ = 1;
    return did;
  }
  auto last = plan.received_to_e164(text.substr(dash + 1));
  if (!last) {
    return config_error(text, last.error().message);
  }
  // Equal lengths make the string order the numeric order, and a range of numbers of
  // different lengths is a typing error more often than a wish.
  if (first->size() != last->size()) {
    return config_error(text, "both ends of a range must have the same number of digits");
  }
  if (*last < *first) {
    return config_error(text, "the range ends before it starts");
  }
  DidMatch did(std::string(text), DidKind::range);
  did.size_ = e164_value(*last) - e164_value(*first) + 1;
  did.first_ = std::move(*first);
  did.last_ = std::move(*last);
  return did;
}

bool DidMatch::matches(std::string_view e164) const {
  switch (kind_) {
  case DidKind::number:
    return e164 == first_;
  case DidKind::range:
    return e164.size() == first_.size() && e164 >= first_ && e164 <= last_;
  case DidKind::pattern:
    return pattern_->matches(e164);
  }
  return false;
}

} // namespace starling::pbx
