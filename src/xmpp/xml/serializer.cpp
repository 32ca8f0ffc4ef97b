// The serialiser: escaping with U+FFFD for what XML cannot carry, and namespace prefixes.
#include "xmpp/xml/serializer.h"

#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

namespace starling::xmpp::xml {

namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD"; // U+FFFD in UTF-8
// Namespaces in XML §3: the xmlns namespace must never be declared or used for attributes.
constexpr std::string_view kXmlnsNamespace = "http://www.w3.org/2000/xmlns/";

bool is_continuation(std::uint8_t byte) {
  return (byte & 0xC0U) == 0x80U;
}

// Length of the UTF-8 sequence at `at` if it encodes a character XML allows (XML §2.2:
// #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]), else 0.
std::size_t xml_char_length(std::string_view s, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(s[at + i]); };
  const std::uint8_t b0 = byte(0);
  if (b0 < 0x80U) {
    return b0 >= 0x20U || b0 == '\t' || b0 == '\n' || b0 == '\r' ? 1 : 0;
  }
  std::size_t length = 0;
  std::uint32_t cp = 0;
  if (b0 >= 0xC2U && b0 < 0xE0U) {
    length = 2;
    cp = b0 & 0x1FU;
  } else if (b0 >= 0xE0U && b0 < 0xF0U) {
    length = 3;
    cp = b0 & 0x0FU;
  } else if (b0 >= 0xF0U && b0 < 0xF5U) {
    length = 4;
    cp = b0 & 0x07U;
  } else {
    return 0;
  }
  if (s.size() - at < length) {
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if (!is_continuation(byte(i))) {
      return 0;
    }
    cp = (cp << 6U) | (byte(i) & 0x3FU);
  }
  const bool overlong = (length == 3 && cp < 0x800U) || (length == 4 && cp < 0x10000U);
  const bool surrogate = cp >= 0xD800U && cp <= 0xDFFFU;
  const bool non_character = cp == 0xFFFEU || cp == 0xFFFFU;
  if (overlong || surrogate || non_character || cp > 0x10FFFFU) {
    return 0;
  }
  return length;
}

std::string_view reference_for(char c, bool attribute) {
  switch (c) {
  case '&':
    return "&amp;";
  case '<':
    return "&lt;";
  case '>':
    return "&gt;";
  case '"':
    return "&quot;";
  case '\'':
    return "&apos;";
  case '\r':
    return "&#13;";
  case '\n':
    return attribute ? "&#10;" : std::string_view{};
  case '\t':
    return attribute ? "&#9;" : std::string_view{};
  default:
    return {};
  }
}

void append_escaped(std::string& out, std::string_view s, bool attribute) {
  std::size_t i = 0;
  std::size_t run = 0; // start of the bytes not yet copied
  while (i < s.size()) {
    const std::size_t length = xml_char_length(s, i);
    if (length == 0) {
      out.append(s.substr(run, i - run));
      out += kReplacementCharacter;
      run = ++i;
      continue;
    }
    if (length == 1) {
      if (const std::string_view reference = reference_for(s[i], attribute); !reference.empty()) {
        out.append(s.substr(run, i - run));
        out += reference;
        run = i + 1;
      }
    }
    i += length;
  }
  out.append(s.substr(run));
}

class Writer {
public:
  Writer(std::string& out, const StreamScope& scope) : out_(out), scope_(scope) {}

  void write(const Element& e, std::string_view default_namespace) {
    const std::string_view prefix = element_prefix(e);
    out_ += '<';
    write_qualified_name(prefix, e.name());
    std::string_view inner_default = default_namespace;
    if (prefix.empty() && e.ns() != default_namespace) {
      write_attribute("xmlns", e.ns());
      inner_default = e.ns();
    }
    write_attributes(e);
    if (e.nodes().empty()) {
      out_ += "/>";
      return;
    }
    out_ += '>';
    for (const Node& node : e.nodes()) {
      if (const auto* child = std::get_if<Element>(&node)) {
        write(*child, inner_default);
      } else {
        append_escaped(out_, std::get<std::string>(node), false);
      }
    }
    out_ += "</";
    write_qualified_name(prefix, e.name());
    out_ += '>';
  }

private:
  // Elements in the stream namespace take the stream's prefix; the xml namespace must be
  // written with its own prefix (it may not be declared as a default namespace).
  std::string_view element_prefix(const Element& e) const {
    if (!scope_.stream_prefix.empty() && e.ns() == kStreamNamespace) {
      return scope_.stream_prefix;
    }
    if (e.ns() == kXmlNamespace) {
      return "xml";
    }
    return {};
  }

  // Attributes in a namespace other than xml get prefixes a0, a1 … declared on this element;
  // no element uses such a prefix, so the declarations cannot clash with another binding.
  void write_attributes(const Element& e) {
    attribute_namespaces_.clear();
    for (const Attribute& a : e.attributes()) {
      if (a.ns.empty() || a.ns == kXmlNamespace || a.ns == kXmlnsNamespace) {
        continue;
      }
      if (prefix_index(a.ns) == attribute_namespaces_.size()) {
        out_ += " xmlns:a";
        out_ += std::to_string(attribute_namespaces_.size());
        out_ += "='";
        append_escaped(out_, a.ns, true);
        out_ += '\'';
        attribute_namespaces_.push_back(a.ns);
      }
    }
    for (const Attribute& a : e.attributes()) {
      if (a.ns == kXmlnsNamespace) {
        continue; // declarations are the serialiser's business
      }
      out_ += ' ';
      if (a.ns == kXmlNamespace) {
        out_ += "xml:";
      } else if (!a.ns.empty()) {
        out_ += 'a';
        out_ += std::to_string(prefix_index(a.ns));
        out_ += ':';
      }
      out_ += a.name;
      out_ += "='";
      append_escaped(out_, a.value, true);
      out_ += '\'';
    }
  }

  std::size_t prefix_index(std::string_view ns) const {
    std::size_t i = 0;
    while (i < attribute_namespaces_.size() && attribute_namespaces_[i] != ns) {
      ++i;
    }
    return i;
  }

  void write_qualified_name(std::string_view prefix, std::string_view name) {
    if (!prefix.empty()) {
      out_ += prefix;
      out_ += ':';
    }
    out_ += name;
  }

  void write_attribute(std::string_view name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "='";
    append_escaped(out_, value, true);
    out_ += '\'';
  }

  std::string& out_;
  const StreamScope& scope_;
  std::vector<std::string_view> attribute_namespaces_; // of the element being written
};

} // namespace

void serialize_to(const Element& element, std::string& out, const StreamScope& scope) {
  Writer(out, scope).write(element, scope.default_namespace);
}

std::string serialize(const Element& element, const StreamScope& scope) {
  std::string out;
  serialize_to(element, out, scope);
  return out;
}

void append_escaped_text(std::string& out, std::string_view text) {
  append_escaped(out, text, false);
}

void append_escaped_attribute(std::string& out, std::string_view value) {
  append_escaped(out, value, true);
}

} // namespace starling::xmpp::xml
