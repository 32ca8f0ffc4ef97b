// Reads a stored element with the stream parser, so stored data meets the same restricted
// XML (RFC 6120 §11.1) as a client's stanzas do.
#include "xmpp/xml/document.h"

#include <variant>

#include "xmpp/xml/limits.h"
#include "xmpp/xml/namespaces.h"
#include "xmpp/xml/serializer.h"
#include "xmpp/xml/stream_parser.h"

namespace starling::xmpp::xml {

std::string to_document(const Element& element) {
  return serialize(element, kNoScope);
}

std::optional<Element> parse_document(std::string_view document) {
  StreamParser parser({.max_element_size = kMaxElementSizeAuthenticated});
  // A header with no default namespace: the document declares its own.
  parser.feed("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
  parser.feed(document);
  parser.feed("</stream:stream>");
  if (auto header = parser.next(); !header || !std::holds_alternative<StreamHeader>(*header)) {
    return std::nullopt;
  }
  auto element = parser.next();
  if (!element || !std::holds_alternative<Element>(*element)) {
    return std::nullopt;
  }
  // A second element or trailing garbage give no StreamClosed; a document that closes the
  // stream itself leaves our own end tag unparsed.
  if (auto end = parser.next();
      !end || !std::holds_alternative<StreamClosed>(*end) || !parser.unparsed().empty()) {
    return std::nullopt;
  }
  auto& parsed = std::get<Element>(*element);
  // Only the wrapper binds the stream prefix; a stored element declares its namespace.
  if (parsed.ns().empty() || parsed.ns() == kStreamNamespace) {
    return std::nullopt;
  }
  return std::move(parsed);
}

} // namespace starling::xmpp::xml
