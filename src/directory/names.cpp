// What a user, group or device name and an extension number may look like.
#include "directory/names.h"

#include <algorithm>

#include <fmt/format.h>

namespace starling::directory {
namespace {

constexpr std::size_t kMaxNameLength = 64;
constexpr std::size_t kMaxExtensionDigits = 15;

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

} // namespace

std::optional<std::string> check_name(std::string_view what, std::string_view text) {
  const bool valid = !text.empty() && text.size() <= kMaxNameLength && is_lower_alnum(text[0]) &&
                     std::ranges::all_of(text, [](char c) {
                       return is_lower_alnum(c) || c == '.' || c == '_' || c == '-';
                     });
  if (valid) {
    return std::nullopt;
  }
  return fmt::format(
      "invalid {} name '{}': use 1 to {} lowercase letters, digits, '.', '_' or '-', "
      "starting with a letter or digit",
      what, text, kMaxNameLength);
}

std::optional<std::string> check_extension_number(std::string_view text) {
  const bool valid = !text.empty() && text.size() <= kMaxExtensionDigits &&
                     std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; });
  if (valid) {
    return std::nullopt;
  }
  return fmt::format("invalid extension '{}': use 1 to {} digits", text, kMaxExtensionDigits);
}

} // namespace starling::directory
