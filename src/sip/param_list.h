// A view of a validated ";name=value" parameter list (URI, Via and header parameters).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace starling::sip {

struct Param {
  std::string_view name;
  std::string_view value; // quoted values keep their quotes; empty when has_value is false
  bool has_value = false;
  std::string_view raw; // from the separator to the end of the value, for in-place edits
};

// Parameters are only scanned when asked for, so parsing a header stores no table
// (STYLE.md: no allocation per header). The text was checked by the parser that made it.
class ParamList {
public:
  class Iterator {
  public:
    // The names the standard iterator protocol requires.
    using value_type = Param;               // NOLINT(readability-identifier-naming)
    using difference_type = std::ptrdiff_t; // NOLINT(readability-identifier-naming)
    Iterator() = default;
    Iterator(std::string_view text, std::size_t pos) : text_(text), pos_(pos) { load(); }
    const Param& operator*() const { return current_; }
    const Param* operator->() const { return &current_; }
    Iterator& operator++() {
      pos_ = next_;
      load();
      return *this;
    }
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
    Param current_;
  };

  ParamList() = default;
  // `text` starts with the first separator (";a=1;b" or "?h=v&i=w"), or is empty.
  explicit ParamList(std::string_view text) : text_(text) {}

  [[nodiscard]] Iterator begin() const { return Iterator{text_, 0}; }
  [[nodiscard]] Iterator end() const { return Iterator{text_, text_.size()}; }
  [[nodiscard]] bool empty() const { return text_.empty(); }
  [[nodiscard]] std::string_view text() const { return text_; }
  [[nodiscard]] std::size_t size() const;

  // Parameter names compare case-insensitively (RFC 3261 §7.3.1, §19.1.4).
  [[nodiscard]] std::optional<Param> find(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const { return find(name).has_value(); }
  // The value, without quotes; empty for a parameter without value or one that is absent.
  [[nodiscard]] std::string_view value_of(std::string_view name) const;

private:
  std::string_view text_;
};

} // namespace starling::sip
