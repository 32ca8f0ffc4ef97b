#include "xmpp/im/data_form.h"

#include "xmpp/im/namespaces.h"

namespace starling::xmpp::im {

xml::Element form_field(std::string_view var, std::string_view value, std::string_view type) {
  xml::Element field(kDataFormsNamespace, "field");
  field.set_attribute("var", var);
  if (!type.empty()) {
    field.set_attribute("type", type);
  }
  field.append(xml::Element(kDataFormsNamespace, "value")).append_text(value);
  return field;
}

std::optional<std::string> field_value(const xml::Element& form, std::string_view var) {
  for (const auto& field : form.children(kDataFormsNamespace, "field")) {
    if (field.attribute("var") == var) {
      const auto* value = field.child(kDataFormsNamespace, "value");
      return value == nullptr ? std::string() : value->text();
    }
  }
  return std::nullopt;
}

std::optional<bool> parse_form_boolean(std::string_view value) {
  if (value == "1" || value == "true") {
    return true;
  }
  if (value == "0" || value == "false") {
    return false;
  }
  return std::nullopt;
}

} // namespace starling::xmpp::im
