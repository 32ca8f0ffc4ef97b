// Walks a parameter list that a value parser has already validated.
#include "sip/param_list.h"

#include "sip/detail/chars.h"
#include "sip/detail/scanner.h"

namespace starling::sip {

namespace {

// URI headers ("?a=b&c=d") are separated by '&'; everything else by ';' (where '&' is an
// ordinary parameter character, RFC 3261 §25 param-unreserved).
char separator_of(std::string_view text) {
  return !text.empty() && text[0] == '?' ? '&' : ';';
}
bool ends_value(char c, char sep) {
  return detail::is_lws(c) || c == sep || c == ',';
}
bool ends_name(char c, char sep) {
  return ends_value(c, sep) || c == '=';
}

} // namespace

void ParamList::Iterator::load() {
  if (pos_ >= text_.size()) {
    pos_ = text_.size();
    next_ = pos_;
    return;
  }
  detail::Scanner s{text_};
  s.reset(pos_);
  s.skip_lws();
  const std::size_t raw_start = s.pos();
  s.advance(); // the separator: ';', '?' or '&'
  s.skip_lws();
  current_ = Param{};
  const char sep = separator_of(text_);
  current_.name = s.take_while([sep](char c) { return !ends_name(c, sep); });
  const std::size_t after_name = s.pos();
  s.skip_lws();
  if (s.consume('=')) {
    s.skip_lws();
    const std::size_t value_start = s.pos();
    if (s.peek() == '"') {
      (void)s.take_quoted_string();
    } else {
      (void)s.take_while([sep](char c) { return !ends_value(c, sep); });
    }
    current_.value = s.slice(value_start);
    current_.has_value = true;
  } else {
    s.reset(after_name);
  }
  current_.raw = s.slice(raw_start);
  // Trailing LWS belongs to the next separator; an iterator at the end compares equal to end().
  const std::size_t end_of_param = s.pos();
  s.skip_lws();
  next_ = s.at_end() ? text_.size() : end_of_param;
}

std::size_t ParamList::size() const {
  std::size_t n = 0;
  for (auto it = begin(); it != end(); ++it) {
    ++n;
  }
  return n;
}

std::optional<Param> ParamList::find(std::string_view name) const {
  for (const Param& p : *this) {
    if (detail::iequals(p.name, name)) {
      return p;
    }
  }
  return std::nullopt;
}

std::string_view ParamList::value_of(std::string_view name) const {
  const auto p = find(name);
  if (!p) {
    return {};
  }
  std::string_view v = p->value;
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    v = v.substr(1, v.size() - 2);
  }
  return v;
}

} // namespace starling::sip
