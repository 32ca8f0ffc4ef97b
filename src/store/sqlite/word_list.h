// Lists kept in one TEXT column as space-separated words: API token scopes, a trunk's
// addresses and codecs, a route's trunks. None of their words holds a space.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace starling::store::sqlite {

std::string join_words(const std::vector<std::string>& words);
// Runs of spaces count as one; an empty text is an empty list.
std::vector<std::string> split_words(std::string_view text);

} // namespace starling::store::sqlite
