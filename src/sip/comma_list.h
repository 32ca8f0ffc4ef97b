// Splits a list header's value (Via, Contact, Route, Require …) at its top-level commas.
#pragma once

#include <cstddef>
#include <string_view>

namespace starling::sip {

// RFC 3261 §7.3.1: a header field of the form "field: a, b" equals two fields "field: a"
// and "field: b". Commas inside quoted strings and <...> (URIs may hold commas) do not
// split. Elements are trimmed of LWS; empty elements are kept so that the value parsers
// reject them (RFC 4475 badinv01 "Via: SIP/2.0/UDP 192.0.2.15;;,;,,").
class CommaList {
public:
  class Iterator {
  public:
    // The names the standard iterator protocol requires.
    using value_type = std::string_view;    // NOLINT(readability-identifier-naming)
    using difference_type = std::ptrdiff_t; // NOLINT(readability-identifier-naming)
    Iterator() = default;
    Iterator(std::string_view text, std::size_t pos);
    std::string_view operator*() const { return current_; }
    Iterator& operator++();
    Iterator operator++(int) {
      Iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const Iterator& other) const { return pos_ == other.pos_; }

  private:
    void load();
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t next_ = 0;
    std::string_view current_;
  };

  explicit CommaList(std::string_view value) : text_(value) {}
  [[nodiscard]] Iterator begin() const { return Iterator{text_, 0}; }
  [[nodiscard]] Iterator end() const { return Iterator{text_, kEnd}; }
  // The first element, and where it ends in the value (for editing the top Via).
  [[nodiscard]] std::string_view front() const { return *begin(); }

  static constexpr std::size_t kEnd = static_cast<std::size_t>(-1);

private:
  std::string_view text_;
};

} // namespace starling::sip
