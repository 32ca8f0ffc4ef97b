// Parsing of generic-param lists shared by the name-addr, Via and Contact parsers.
#include "sip/detail/params.h"

#include "sip/limits.h"

namespace starling::sip::detail {

std::expected<ParamList, ValueError> scan_generic_params(Scanner& s) {
  const std::size_t start = s.pos();
  std::size_t end = start;
  std::size_t count = 0;
  for (;;) {
    const std::size_t before = s.pos();
    if (!s.consume_separator(';')) {
      s.reset(before);
      break;
    }
    if (++count > kMaxParamCount) {
      return std::unexpected(ValueError{"too many parameters", s.pos()});
    }
    if (s.take_token().empty()) {
      return std::unexpected(ValueError{"empty parameter", s.pos()});
    }
    end = s.pos();
    if (s.consume_separator('=')) {
      if (s.peek() == '"') {
        if (!s.take_quoted_string()) {
          return std::unexpected(ValueError{"unterminated quoted string", s.pos()});
        }
      } else if (s.take_while(is_gen_value_char).empty()) {
        return std::unexpected(ValueError{"parameter without value", s.pos()});
      }
      end = s.pos();
    } else {
      s.reset(end);
    }
  }
  s.reset(end == start ? start : end);
  return ParamList{s.text().substr(start, end - start)};
}

} // namespace starling::sip::detail
