// One element as a document of its own: how stanzas are kept outside a stream (offline
// messages, the archive) and read back.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "xmpp/xml/element.h"

namespace starling::xmpp::xml {

// The element with every namespace declared on it, so it reads back without a stream.
[[nodiscard]] std::string to_document(const Element& element);
// The single element of a document written by to_document(), under the same restrictions
// and limits as a stream's stanzas; nothing for anything else.
[[nodiscard]] std::optional<Element> parse_document(std::string_view document);

} // namespace starling::xmpp::xml
