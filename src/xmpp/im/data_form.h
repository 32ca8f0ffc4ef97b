// XEP-0004 data forms: the pieces the server's own forms (node and room configuration,
// upload limits, push summaries) are built from.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// <field var='…'><value>…</value></field>, with 'type' (§3.3) unless empty.
[[nodiscard]] xml::Element form_field(std::string_view var, std::string_view value,
                                      std::string_view type = {});

// The text of the first <value/> of a form's field; an empty string for a field without one,
// nothing when the form has no such field.
[[nodiscard]] std::optional<std::string> field_value(const xml::Element& form,
                                                     std::string_view var);

// XEP-0004 §3.3: a boolean field's value is "0", "1", "false" or "true"; nullopt otherwise.
[[nodiscard]] std::optional<bool> parse_form_boolean(std::string_view value);

} // namespace starling::xmpp::im
