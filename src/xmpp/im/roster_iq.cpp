// Roster get, set and remove (RFC 6121 §2.1.3, §2.3, §2.5).
#include "xmpp/im/roster_iq.h"

#include "xmpp/im/namespaces.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/im/stanza_error.h"

namespace starling::xmpp::im {

using enum StanzaErrorCondition;

bool RosterIq::on_request(Resource& sender, const std::optional<Jid>& to, const xml::Element& iq) {
  const auto* query = iq.child(kRosterNamespace, "query");
  if (to || query == nullptr) {
    return false; // §2.1.5: only the user's own roster, through their own server
  }
  const xml::Element answer = iq.attribute("type") == "get"
                                  ? answer_get(sender, iq, *query)
                                  : answer_set(sender.jid.bare(), iq, *query);
  sender.session->deliver(answer);
  return true;
}

xml::Element RosterIq::answer_get(Resource& sender, const xml::Element& iq,
                                  const xml::Element& query) const {
  sender.presence.interested = true; // §2.1.3: from now on it gets roster pushes
  // Roster versioning (§2.6) is not offered, so 'ver' is ignored.
  auto result = make_result(iq);
  auto& out = result.append(xml::Element(query.ns(), "query"));
  for (const auto& item : roster_.roster(sender.jid.bare())) {
    out.append(to_element(item, query.ns()));
  }
  return result;
}

xml::Element RosterIq::answer_set(const Jid& user, const xml::Element& iq,
                                  const xml::Element& query) {
  auto request = parse_roster_set(query);
  if (!request) {
    return make_error_reply(iq, request.error());
  }
  if (request->jid == user) {
    return make_error_reply(iq, not_allowed); // one's own JID is no contact (§2.3.3)
  }
  const auto existing = roster_.find(user, request->jid);
  if (existing && existing->shared) {
    return make_error_reply(iq, not_allowed); // from the directory, the same for everyone
  }
  if (request->remove) {
    if (!existing) {
      return make_error_reply(iq, item_not_found); // §2.5.3
    }
    // §2.5.2: the subscriptions end both ways, then the item goes.
    subscriptions_.cancel_both(user, request->jid);
    roster_.remove_item(user, request->jid);
    pushes_.push_removal(user, request->jid);
    return make_result(iq);
  }
  const auto item =
      roster_.set_item(user, request->jid, std::move(request->name), std::move(request->groups));
  pushes_.push_item(user, item); // §2.3.2: to every interested resource, the sender too
  return make_result(iq);
}

} // namespace starling::xmpp::im
