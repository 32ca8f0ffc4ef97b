// Writes elements as well-formed XML: escaping, namespace declarations and prefixes.
#pragma once

#include <string>
#include <string_view>

#include "xmpp/xml/element.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::xml {

// What the stream header declared and top-level elements inherit (RFC 6120 §4.8.2, §4.8.5):
// the content namespace as default namespace, and the stream namespace bound to a prefix.
// Elements in the default namespace are written without xmlns; elements in the stream
// namespace as <stream:features/>; any other namespace is declared where it starts.
struct StreamScope {
  std::string_view default_namespace = kClientNamespace;
  std::string_view stream_prefix = "stream"; // empty: declare the stream namespace instead
};

// A scope that declares nothing, for an element written as a document of its own.
inline constexpr StreamScope kNoScope{.default_namespace = {}, .stream_prefix = {}};

// Appends the element to `out`. Attribute values are single-quoted. Bytes that are not
// UTF-8 encoded XML characters (control characters, broken sequences) are written as
// U+FFFD, so the output is always well-formed whatever the tree holds.
void serialize_to(const Element& element, std::string& out, const StreamScope& scope = {});
std::string serialize(const Element& element, const StreamScope& scope = {});

// Escaping for hand-written markup. Character data: & < > " ' become entity references,
// and CR a character reference (a literal CR would be read back as LF, XML §2.11).
// Attribute values (single or double quoted): the same, plus TAB and LF as character
// references, which attribute-value normalisation would otherwise turn into spaces (§3.3.3).
void append_escaped_text(std::string& out, std::string_view text);
void append_escaped_attribute(std::string& out, std::string_view value);

} // namespace starling::xmpp::xml
