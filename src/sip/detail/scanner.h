// A cursor over one header value, with the LWS, token and quoted-string rules of RFC 3261 §25.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/trim.h"
#include "sip/detail/chars.h"

namespace starling::sip::detail {

class Scanner {
public:
  explicit Scanner(std::string_view text) : text_(text) {}

  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[pos_]; }
  [[nodiscard]] std::size_t pos() const { return pos_; }
  [[nodiscard]] std::string_view rest() const { return text_.substr(pos_); }
  [[nodiscard]] std::string_view text() const { return text_; }
  [[nodiscard]] std::string_view slice(std::size_t from) const {
    return text_.substr(from, pos_ - from);
  }
  void advance(std::size_t n = 1) { pos_ = (pos_ + n > text_.size()) ? text_.size() : pos_ + n; }
  void reset(std::size_t pos) { pos_ = pos; }

  // Skips linear white space; returns whether any was there.
  bool skip_lws() {
    const std::size_t start = pos_;
    while (!at_end() && is_lws(text_[pos_])) {
      ++pos_;
    }
    return pos_ != start;
  }

  bool consume(char c) {
    if (peek() != c || at_end()) {
      return false;
    }
    ++pos_;
    return true;
  }

  // SWS c SWS, the SEMI/EQUAL/COMMA/SLASH/COLON forms of RFC 3261 §25.1.
  bool consume_separator(char c) {
    const std::size_t start = pos_;
    skip_lws();
    if (!consume(c)) {
      pos_ = start;
      return false;
    }
    skip_lws();
    return true;
  }

  template <typename Pred> std::string_view take_while(Pred pred) {
    const std::size_t start = pos_;
    while (!at_end() && pred(text_[pos_])) {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  std::string_view take_token() { return take_while(is_token_char); }

  // quoted-string; returns the text between the quotes, escapes kept, or nothing when the
  // string is not terminated or holds a bare CR/LF (quoted-pair excludes CR and LF).
  std::optional<std::string_view> take_quoted_string() {
    if (!consume('"')) {
      return std::nullopt;
    }
    const std::size_t start = pos_;
    while (!at_end()) {
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return text_.substr(start, pos_ - 1 - start);
      }
      if (c == '\\') {
        if (pos_ + 1 >= text_.size() || text_[pos_ + 1] == '\r' || text_[pos_ + 1] == '\n') {
          return std::nullopt;
        }
        ++pos_;
      }
      ++pos_;
    }
    return std::nullopt;
  }

private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Drops leading and trailing linear white space.
constexpr std::string_view trim_lws(std::string_view s) {
  return core::trim(s, is_lws);
}

} // namespace starling::sip::detail
