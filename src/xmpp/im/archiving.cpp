// Archives one-to-one messages on their way through the router.
#include "xmpp/im/archiving.h"

#include <string>

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
  routed.append(xml::Element(kStanzaIdNamespace, "stanza-id"))
      .set_attribute("id", id)
      .set_attribute("by", recipient.to_string());
  return routed;
}

} // namespace starling::xmpp::im
