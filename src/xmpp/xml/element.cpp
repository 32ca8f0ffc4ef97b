// The element tree: attribute and child lookup, and the builder.
#include "xmpp/xml/element.h"

#include <algorithm>
#include <utility>

namespace starling::xmpp::xml {

namespace {

template <typename Attributes>
auto find_attribute(Attributes& attributes, std::string_view ns, std::string_view name) {
  return std::ranges::find_if(attributes,
                              [&](const Attribute& a) { return a.name == name && a.ns == ns; });
}

} // namespace

std::optional<std::string_view> Element::attribute(std::string_view name) const {
  return attribute({}, name);
}

std::optional<std::string_view> Element::attribute(std::string_view ns,
                                                   std::string_view name) const {
  const auto it = find_attribute(attributes_, ns, name);
  if (it == attributes_.end()) {
    return std::nullopt;
  }
  return it->value;
}

Element& Element::set_attribute(std::string_view name, std::string_view value) & {
  return set_attribute({}, name, value);
}

Element&& Element::set_attribute(std::string_view name, std::string_view value) && {
  return std::move(set_attribute({}, name, value));
}

Element& Element::set_attribute(std::string_view ns, std::string_view name,
                                std::string_view value) & {
  const auto it = find_attribute(attributes_, ns, name);
  if (it != attributes_.end()) {
    it->value = value;
  } else {
    attributes_.push_back(Attribute{std::string(ns), std::string(name), std::string(value)});
  }
  return *this;
}

Element&& Element::set_attribute(std::string_view ns, std::string_view name,
                                 std::string_view value) && {
  return std::move(set_attribute(ns, name, value));
}

bool Element::remove_attribute(std::string_view ns, std::string_view name) {
  const auto it = find_attribute(attributes_, ns, name);
  if (it == attributes_.end()) {
    return false;
  }
  attributes_.erase(it);
  return true;
}

Element& Element::append(Element child) {
  return std::get<Element>(nodes_.emplace_back(std::move(child)));
}

Element& Element::append_text(std::string_view text) & {
  if (text.empty()) {
    return *this;
  }
  if (!nodes_.empty()) {
    if (auto* last = std::get_if<std::string>(&nodes_.back())) {
      last->append(text);
      return *this;
    }
  }
  nodes_.emplace_back(std::string(text));
  return *this;
}

Element&& Element::append_text(std::string_view text) && {
  return std::move(append_text(text));
}

const Element* Element::child(std::string_view ns, std::string_view name) const {
  for (const Element& e : elements()) {
    if (e.is(ns, name)) {
      return &e;
    }
  }
  return nullptr;
}

Element* Element::child(std::string_view ns, std::string_view name) {
  return const_cast<Element*>(std::as_const(*this).child(ns, name));
}

std::string Element::text() const {
  std::string out;
  for (const Node& n : nodes_) {
    if (const auto* text = std::get_if<std::string>(&n)) {
      out += *text;
    }
  }
  return out;
}

bool operator==(const Element& a, const Element& b) {
  return a.ns_ == b.ns_ && a.name_ == b.name_ && a.attributes_ == b.attributes_ &&
         a.nodes_ == b.nodes_;
}

} // namespace starling::xmpp::xml
