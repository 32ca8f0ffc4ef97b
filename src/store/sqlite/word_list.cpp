// Lists kept as space-separated words in one column.
#include "store/sqlite/word_list.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace starling::store::sqlite {

std::string join_words(const std::vector<std::string>& words) {
  return fmt::format("{}", fmt::join(words, " "));
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  while (!text.empty()) {
    const auto space = text.find(' ');
    if (space != 0) {
      words.emplace_back(text.substr(0, space));
    }
    text = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
  }
  return words;
}

} // namespace starling::store::sqlite
