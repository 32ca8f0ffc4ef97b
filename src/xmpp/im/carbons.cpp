// Message Carbons (XEP-0280): enabling, eligibility and the forwarded copies.
#include "xmpp/im/carbons.h"

#include <algorithm>

#include "xmpp/im/namespaces.h"
#include "xmpp/im/server_iq.h"

namespace starling::xmpp::im {

namespace {

// XEP-0297: the copy comes from the user's bare JID — which no client can forge, since the
// router stamps each client stanza with its full JID — so clients can trust it (XEP-0280 §11).
xml::Element forwarded_copy(std::string_view wrapper, const Jid& user, const Resource& to,
                            const xml::Element& message) {
  xml::Element copy(message.ns(), "message");
  copy.set_attribute("from", user.to_string());
  copy.set_attribute("to", to.jid.to_string());
  if (auto type = message.attribute("type")) {
    copy.set_attribute("type", *type); // §7, §8: SHOULD keep the original's type
  }
  copy.append(xml::Element(kCarbonsNamespace, wrapper))
      .append(xml::Element(kForwardNamespace, "forwarded"))
      .append(message);
  return copy;
}

} // namespace

bool is_private(const xml::Element& message) {
  return message.child(kCarbonsNamespace, "private") != nullptr;
}

bool is_eligible_for_carbons(const xml::Element& message) {
  if (is_private(message) || message.child(kHintsNamespace, "no-copy") != nullptr) {
    return false;
  }
  // A client's own <sent/> or <received/> is routed as an ordinary message, never copied
  // again: wrapping it once more would only nest a forgery inside a genuine carbon.
  if (message.child(kCarbonsNamespace, "sent") != nullptr ||
      message.child(kCarbonsNamespace, "received") != nullptr) {
    return false;
  }
  // §6: chat, and normal with a body. Errors would need the original tracked; groupchat and
  // headline are not one-to-one conversations.
  const auto type = message.attribute("type").value_or("normal");
  if (type == "chat") {
    return true;
  }
  return type == "normal" && message.child(message.ns(), "body") != nullptr;
}

xml::Element without_private(const xml::Element& message) {
  return message.without_elements(
      [](const xml::Element& child) { return child.is(kCarbonsNamespace, "private"); });
}

std::optional<xml::Element> switch_carbons(Resource& sender, const xml::Element& iq) {
  if (iq.attribute("type") != "set") {
    return std::nullopt;
  }
  if (iq.child(kCarbonsNamespace, "enable") != nullptr) {
    sender.carbons = true;
  } else if (iq.child(kCarbonsNamespace, "disable") != nullptr) {
    sender.carbons = false;
  } else {
    return std::nullopt;
  }
  return make_result(iq);
}

void Carbons::copy(const Resource& sender, const Jid& to, const xml::Element& message,
                   std::span<Resource* const> delivered) {
  if (!is_eligible_for_carbons(message)) {
    return;
  }
  const Jid user = sender.jid.bare();
  // §8: "irrespective of whether the sending client has carbons enabled", and also when the
  // recipient was offline: the other devices still see what this one said.
  send_copies("sent", user, sender, message, delivered);
  // §7 — after delivery; a message stored offline was delivered to no one yet and arrives
  // later as itself (RFC 6121 §8.5.2.2.1). A message to oneself is covered by the sent copies.
  if (!delivered.empty() && to.bare() != user) {
    send_copies("received", to.bare(), sender, message, delivered);
  }
}

void Carbons::send_copies(std::string_view wrapper, const Jid& user, const Resource& sender,
                          const xml::Element& message, std::span<Resource* const> delivered) {
  for (Resource* resource : sessions_.resources(user)) {
    // §7: "MUST NOT send a forwarded copy to the client(s) the original … was addressed
    // to"; §8: nor to the sending client.
    const bool has_it =
        resource == &sender || std::ranges::find(delivered, resource) != delivered.end();
    if (resource->carbons && !has_it) {
      resource->session->deliver(forwarded_copy(wrapper, user, *resource, message));
    }
  }
}

} // namespace starling::xmpp::im
