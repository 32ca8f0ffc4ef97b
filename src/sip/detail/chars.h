// Character classes of the RFC 3261 §25 grammar, shared by the SIP value parsers.
#pragma once

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string_view>

namespace starling::sip::detail {

constexpr bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_alnum(char c) {
  return is_alpha(c) || is_digit(c);
}
constexpr bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}
// Inside a header value a fold (CRLF followed by WSP) is linear white space; the message
// parser has already checked that every CR LF in a value is such a fold.
constexpr bool is_lws(char c) {
  return is_wsp(c) || c == '\r' || c == '\n';
}

// A set of characters as a table built at compile time: membership is one load, where
// string_view::find calls memchr for each character (1% of a registration's CPU, measured).
class CharSet {
public:
  consteval explicit CharSet(std::string_view members, std::string_view more = {}) {
    for (const std::string_view part : {members, more}) {
      for (const char c : part) {
        table_.at(static_cast<unsigned char>(c)) = true;
      }
    }
  }
  [[nodiscard]] constexpr bool contains(char c) const {
    return table_[static_cast<unsigned char>(c)];
  }

private:
  std::array<bool, 256> table_{};
};

inline constexpr std::string_view kAlphanumerics =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// The tables live at namespace scope: a constexpr table local to a function is copied onto
// the stack at every call (GCC 12 has no static constexpr locals), which made is_token_char
// a fifth of a registration's CPU (measured).
inline constexpr CharSet kMarks{"-_.!~*'()"};
// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
inline constexpr CharSet kTokenChars{kAlphanumerics, "-.!%*_+`'~"};
inline constexpr CharSet kUserUnreserved{"&=+$,;?/"};
inline constexpr CharSet kPasswordExtra{"&=+$,"};
inline constexpr CharSet kParamUnreserved{"[]/:&+$"};
inline constexpr CharSet kHnvUnreserved{"[]/?:+$"};

constexpr bool is_mark(char c) {
  return kMarks.contains(c);
}
constexpr bool is_unreserved(char c) {
  return is_alnum(c) || is_mark(c);
}
constexpr bool is_token_char(char c) {
  return kTokenChars.contains(c);
}
constexpr bool is_user_unreserved(char c) {
  return kUserUnreserved.contains(c);
}
constexpr bool is_password_char(char c) {
  return is_unreserved(c) || kPasswordExtra.contains(c);
}
constexpr bool is_param_unreserved(char c) {
  return kParamUnreserved.contains(c);
}
constexpr bool is_hnv_unreserved(char c) {
  return kHnvUnreserved.contains(c);
}

constexpr char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

constexpr int hex_value(char c) {
  if (is_digit(c)) {
    return c - '0';
  }
  return to_lower(c) - 'a' + 10;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) {
      return false;
    }
  }
  return true;
}

constexpr bool is_token(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (!is_token_char(c)) {
      return false;
    }
  }
  return true;
}

} // namespace starling::sip::detail
