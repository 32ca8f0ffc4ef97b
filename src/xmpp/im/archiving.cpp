// Archives one-to-one messages on their way through the router.
#include "xmpp/im/archiving.h"

#include <string>
#include <utility>

#include "xmpp/im/namespaces.h"

namespace starling::xmpp::im {

namespace {

// XEP-0359 §5: a stanza-id claiming to come from this domain or one of its users was not
// written by this server, so clients must not see it.
bool is_spoofed_stanza_id(const xml::Element& child, const Jid& to) {
  if (!child.is(kStanzaIdNamespace, "stanza-id")) {
    return false;
  }
  const auto by = Jid::parse(child.attribute("by").value_or(""));
  return !by || by->domain() == to.domain();
}

xml::Element with_stanza_id(xml::Element message, const std::string& id, const Jid& by) {
  message.append(xml::Element(kStanzaIdNamespace, "stanza-id"))
      .set_attribute("id", id)
      .set_attribute("by", by.to_string());
  return message;
}

} // namespace

bool is_archivable(const xml::Element& message) {
  const auto type = message.attribute("type").value_or("normal");
  return (type == "chat" || type == "normal") && message.child(message.ns(), "body") != nullptr &&
         message.child(kHintsNamespace, "no-store") == nullptr;
}

xml::Element archive_exchange(MessageArchive& archive, const Jid& from, const Jid& to,
                              const xml::Element& message) {
  auto routed = message.without_elements(
      [&](const xml::Element& child) { return is_spoofed_stanza_id(child, to); });
  if (!is_archivable(routed)) {
    return routed;
  }
  const Jid sender = from.bare();
  const Jid recipient = to.bare();
  if (sender != recipient) {
    (void)archive.add(sender, recipient, routed);
  }
  const std::string id = archive.add(recipient, sender, routed);
  return with_stanza_id(std::move(routed), id, recipient);
}

xml::Element archive_groupchat(MessageArchive& archive, const Jid& room, const Jid& occupant,
                               const xml::Element& message) {
  // Only servers and rooms write stanza-ids; an occupant's could claim any of them.
  auto sent = message.without_elements(
      [](const xml::Element& child) { return child.is(kStanzaIdNamespace, "stanza-id"); });
  if (sent.child(sent.ns(), "body") == nullptr ||
      sent.child(kHintsNamespace, "no-store") != nullptr) {
    return sent;
  }
  const std::string id = archive.add(room, occupant, sent);
  return with_stanza_id(std::move(sent), id, room);
}

} // namespace starling::xmpp::im
