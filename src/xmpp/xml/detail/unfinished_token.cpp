// The end-of-token scanner that keeps expat from rescanning a trickled tag.
#include "xmpp/xml/detail/unfinished_token.h"

namespace starling::xmpp::xml::detail {

bool UnfinishedToken::start(std::string_view token) {
  std::size_t opener = 1; // the bytes that open the token, which cannot end it
  if (token.starts_with('&')) {
    kind_ = Kind::reference;
  } else if (token.starts_with("</")) {
    kind_ = Kind::end_tag;
    opener = 2;
  } else if (token.starts_with("<?")) {
    kind_ = Kind::processing_instruction;
    opener = 2;
  } else if (token.starts_with("<!--")) {
    kind_ = Kind::comment;
    opener = 4;
  } else if (token.starts_with("<!") || !token.starts_with('<') || token.size() < 2) {
    return false; // CDATA opener or DOCTYPE: short, or refused as soon as expat reads it
  } else {
    kind_ = Kind::start_tag;
  }
  if (token.size() <= opener) {
    return false;
  }
  quote_ = last_ = previous_ = 0;
  return find_end(token.substr(opener)) == std::string_view::npos;
}

std::size_t UnfinishedToken::find_end(std::string_view more) {
  for (std::size_t i = 0; i < more.size(); ++i) {
    const char c = more[i];
    bool end = false;
    switch (kind_) {
    case Kind::start_tag:
      // XML §3.1: '>' ends the tag outside attribute values; a '<' anywhere is an error
      // that expat should report now.
      if (quote_ != 0) {
        if (c == quote_) {
          quote_ = 0;
        }
        end = c == '<';
      } else if (c == '\'' || c == '"') {
        quote_ = c;
      } else {
        end = c == '>' || c == '<';
      }
      break;
    case Kind::end_tag:
      end = c == '>' || c == '<';
      break;
    case Kind::comment: // XML §2.5: "-->"
      end = c == '>' && last_ == '-' && previous_ == '-';
      break;
    case Kind::processing_instruction: // XML §2.6: "?>"
      end = c == '>' && last_ == '?';
      break;
    case Kind::reference: // XML §4.1: "&name;" or "&#…;"; anything else is an error
      end = c == ';' || c == '<';
      break;
    }
    if (end) {
      return i + 1;
    }
    previous_ = last_;
    last_ = c;
  }
  return std::string_view::npos;
}

} // namespace starling::xmpp::xml::detail
