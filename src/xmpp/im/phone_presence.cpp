// The presence stanzas of a user on the phone.
#include "xmpp/im/phone_presence.h"

#include <string>
#include <variant>

#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::im {

namespace {

xml::Element call_element(std::string_view call_state) {
  return xml::Element(kCallNamespace, "call").set_attribute("state", call_state);
}

xml::Element text_element(std::string_view name, std::string_view text) {
  return xml::Element(xml::kClientNamespace, name).append_text(text);
}

} // namespace

xml::Element talking_on_the_phone() {
  xml::Element activity(kActivityNamespace, "activity");
  activity.append(xml::Element(kActivityNamespace, "talking"))
      .append(xml::Element(kActivityNamespace, "on_the_phone"));
  activity.append(xml::Element(kActivityNamespace, "text")).append_text(kOnThePhoneStatus);
  return activity;
}

xml::Element on_the_phone(const xml::Element& presence, std::string_view call_state) {
  xml::Element shown(presence.ns(), presence.name());
  for (const auto& attribute : presence.attributes()) {
    shown.set_attribute(attribute.ns, attribute.name, attribute.value);
  }
  // RFC 6121 §4.7.2: at most one <show/>, and the status replaced in every language.
  shown.append(text_element("show", "dnd"));
  shown.append(text_element("status", kOnThePhoneStatus));
  for (const auto& child : presence.elements()) {
    const bool replaced = child.is(xml::kClientNamespace, "show") ||
                          child.is(xml::kClientNamespace, "status") ||
                          child.is(kCallNamespace, "call");
    if (!replaced) {
      shown.append(child);
    }
  }
  shown.append(call_element(call_state));
  return shown;
}

xml::Element phone_resource_presence(std::string_view call_state) {
  xml::Element presence(xml::kClientNamespace, "presence");
  presence.append(text_element("show", "dnd"));
  presence.append(text_element("status", kOnThePhoneStatus));
  presence.append(text_element("priority", std::to_string(kPhoneResourcePriority)));
  presence.append(talking_on_the_phone());
  presence.append(call_element(call_state));
  return presence;
}

} // namespace starling::xmpp::im
