// Trimming of a text view, shared by the protocol parsers: each says what white space is in
// its grammar (SIP's LWS, HTTP's OWS, SDP's blanks).
#pragma once

#include <string_view>

namespace starling::core {

// `text` without the characters `is_space` accepts at either end; no copy is made.
template <typename IsSpace>
constexpr std::string_view trim(std::string_view text, IsSpace is_space) {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

} // namespace starling::core
