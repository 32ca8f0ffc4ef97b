// The muc#request forms of XEP-0045 §7.13 and §8.6.
#include "xmpp/muc/voice_request.h"

#include "xmpp/im/data_form.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::muc {

std::optional<VoiceForm> parse_voice_form(const xml::Element& message) {
  const auto* form = message.child(im::kDataFormsNamespace, "x");
  if (form == nullptr || im::field_value(*form, "FORM_TYPE") != kMucRequestFormType) {
    return std::nullopt;
  }
  VoiceForm voice;
  if (const auto allow = im::field_value(*form, "muc#request_allow")) {
    voice.allow = im::parse_form_boolean(*allow).value_or(false);
    voice.nick = im::field_value(*form, "muc#roomnick").value_or("");
  }
  return voice;
}

xml::Element voice_approval_form(const Jid& room, const Jid& requester, std::string_view nick) {
  xml::Element message(xml::kClientNamespace, "message");
  message.set_attribute("from", room.to_string());
  auto& form = message.append(xml::Element(im::kDataFormsNamespace, "x"));
  form.set_attribute("type", "form");
  form.append(xml::Element(im::kDataFormsNamespace, "title")).append_text("Voice request");
  form.append(xml::Element(im::kDataFormsNamespace, "instructions"))
      .append_text("To let this person speak in the room, check the box and send the form.");
  form.append(im::form_field("FORM_TYPE", kMucRequestFormType, "hidden"));
  form.append(im::form_field("muc#role", "participant", "list-single"))
      .set_attribute("label", "Requested role");
  form.append(im::form_field("muc#jid", requester.to_string(), "jid-single"))
      .set_attribute("label", "User ID");
  form.append(im::form_field("muc#roomnick", nick, "text-single"))
      .set_attribute("label", "Room nickname");
  form.append(im::form_field("muc#request_allow", "false", "boolean"))
      .set_attribute("label", "Grant voice to this person?");
  return message;
}

} // namespace starling::xmpp::muc
