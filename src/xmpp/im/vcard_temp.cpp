// vCard retrieval and update (XEP-0054 §3.1, §3.2, §3.3).
#include "xmpp/im/vcard_temp.h"

#include "xmpp/im/stanza_error.h"

namespace starling::xmpp::im {

using enum StanzaErrorCondition;

void VcardTemp::announce(ServerIq& server_iq) {
  server_iq.add_feature(ServerIq::FeatureOf::server, std::string(kVcardNamespace));
}

xml::Element VcardTemp::vcard(std::string_view user) const {
  const auto* stored = data_.find(user, kVcardKind, "");
  return stored == nullptr ? xml::Element(kVcardNamespace, "vCard") : *stored;
}

void VcardTemp::set_vcard(std::string_view user, const xml::Element& vcard) {
  data_.put(user, kVcardKind, "", vcard);
}

bool VcardTemp::on_request(Resource& sender, const std::optional<Jid>& to, const xml::Element& iq) {
  const auto& payload = *iq.elements().begin();
  if (!payload.is(kVcardNamespace, "vCard")) {
    return false;
  }
  // A vCard of the server itself (to the domain) is not offered.
  if (const auto to_text = iq.attribute("to"); !to && to_text) {
    const auto parsed = Jid::parse(*to_text);
    if (!parsed || parsed->local().empty()) {
      return false;
    }
  }
  const Jid owner = to ? to->bare() : sender.jid.bare();
  if (!accounts_.has_account(owner.local())) {
    return false;
  }
  if (iq.attribute("type") == "get") {
    auto result = make_result(iq);
    result.append(vcard(owner.local())); // §3.1, §3.2: an empty vCard when none was set
    sender.session->deliver(result);
  } else if (owner != sender.jid.bare()) {
    sender.session->deliver(make_error_reply(iq, forbidden)); // §3.3: only one's own
  } else {
    set_vcard(owner.local(), payload);
    sender.session->deliver(make_result(iq));
  }
  return true;
}

} // namespace starling::xmpp::im
