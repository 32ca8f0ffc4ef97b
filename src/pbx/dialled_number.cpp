// The checks every dialled or received number passes before any rule looks at it.
#include "pbx/dialled_number.h"

#include <algorithm>

namespace starling::pbx {

std::expected<void, NumberError> check_dialled(std::string_view dialled) {
  if (dialled.empty()) {
    return std::unexpected(NumberError{NumberProblem::empty, "no number was dialled"});
  }
  if (dialled.size() > kMaxDialledLength) {
    return std::unexpected(NumberError{NumberProblem::too_long,
                                       "the number is longer than " +
                                           std::to_string(kMaxDialledLength) + " characters"});
  }
  if (!std::ranges::all_of(dialled, is_dial_character)) {
    return std::unexpected(NumberError{NumberProblem::not_dialable,
                                       "the number holds characters other than 0-9, *, # and +"});
  }
  if (dialled.find('+', 1) != std::string_view::npos) {
    return std::unexpected(
        NumberError{NumberProblem::not_dialable, "a + may only start the number"});
  }
  return {};
}

} // namespace starling::pbx
