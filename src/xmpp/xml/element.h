// The element tree that stanzas are parsed into and built with: namespaced elements,
// attributes, and children (elements and character data) in document order.
#pragma once

#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace starling::xmpp::xml {

// An attribute. Unprefixed attributes are in no namespace (Namespaces in XML §6.2), so
// `ns` is empty for to/from/id/type; xml:lang has ns kXmlNamespace and name "lang".
struct Attribute {
  std::string ns;
  std::string name;
  std::string value;

  bool operator==(const Attribute&) const = default;
};

class Element;

// One child: an element or a run of character data (unescaped text).
using Node = std::variant<Element, std::string>;

// An XML element identified by namespace name and local name; prefixes are not kept, the
// serialiser chooses them. Text is stored unescaped. The builder keeps adjacent text
// merged and drops empty text, so a tree that is serialised and parsed compares equal.
// Names must be valid XML names; they come from code (constants) or from the parser.
class Element {
public:
  Element(std::string_view ns, std::string_view name) : ns_(ns), name_(name) {}

  const std::string& ns() const { return ns_; }
  const std::string& name() const { return name_; }
  bool is(std::string_view ns, std::string_view name) const { return name_ == name && ns_ == ns; }

  // Attributes, in the order they were parsed or set.
  const std::vector<Attribute>& attributes() const { return attributes_; }
  // An unprefixed attribute (to, from, id, type …); attribute("lang") is not xml:lang.
  std::optional<std::string_view> attribute(std::string_view name) const;
  // A namespaced attribute, e.g. attribute(kXmlNamespace, "lang").
  std::optional<std::string_view> attribute(std::string_view ns, std::string_view name) const;
  // Sets (replaces or adds) an attribute; returns this element for chaining.
  Element& set_attribute(std::string_view name, std::string_view value) &;
  Element&& set_attribute(std::string_view name, std::string_view value) &&;
  Element& set_attribute(std::string_view ns, std::string_view name, std::string_view value) &;
  Element&& set_attribute(std::string_view ns, std::string_view name, std::string_view value) &&;
  // Removes an attribute; whether there was one.
  bool remove_attribute(std::string_view ns, std::string_view name);

  // Children in document order.
  const std::vector<Node>& nodes() const { return nodes_; }
  // Appends a child element and returns it (not this element), to build it further:
  //   iq.append(Element(kBindNamespace, "bind")).append(Element(kBindNamespace, "jid"))
  //       .append_text(jid);
  Element& append(Element child);
  // Appends character data (merged with text just before it); returns this element.
  Element& append_text(std::string_view text) &;
  Element&& append_text(std::string_view text) &&;

  // The child elements, skipping text.
  auto elements() const {
    return nodes_ | std::views::filter([](const Node& n) { return n.index() == 0; }) |
           std::views::transform(
               [](const Node& n) -> const Element& { return *std::get_if<0>(&n); });
  }
  // The child elements with this namespace and name. The view refers to ns and name, so
  // pass strings that outlive the loop (constants and literals do).
  auto children(std::string_view ns, std::string_view name) const {
    return elements() | std::views::filter([ns, name](const Element& e) { return e.is(ns, name); });
  }
  // The first child element with this namespace and name, or null.
  const Element* child(std::string_view ns, std::string_view name) const;
  Element* child(std::string_view ns, std::string_view name);
  // The character data directly inside this element (not its descendants), concatenated.
  std::string text() const;
  // A copy without the child elements `drop` returns true for, the text around them merged.
  template <typename Predicate> Element without_elements(Predicate drop) const {
    Element out(ns_, name_);
    out.attributes_ = attributes_;
    for (const auto& node : nodes_) {
      if (const auto* element = std::get_if<Element>(&node)) {
        if (!drop(*element)) {
          out.append(*element);
        }
      } else {
        out.append_text(std::get<std::string>(node));
      }
    }
    return out;
  }

  friend bool operator==(const Element& a, const Element& b);

private:
  std::string ns_;
  std::string name_;
  std::vector<Attribute> attributes_;
  std::vector<Node> nodes_;
};

} // namespace starling::xmpp::xml
