// Subscription requests and answers between users (RFC 6121 §3, Appendix A).
#include "xmpp/im/subscriptions.h"

#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::im {

namespace {

std::string_view type_name(SubscriptionType type) {
  switch (type) {
  case SubscriptionType::subscribe:
    return "subscribe";
  case SubscriptionType::subscribed:
    return "subscribed";
  case SubscriptionType::unsubscribe:
    return "unsubscribe";
  case SubscriptionType::unsubscribed:
    return "unsubscribed";
  }
  return "subscribe";
}

// §3.1.2 and the like: the user's server stamps the stanza with the bare JIDs on both ends;
// a status (§3.1.1's optional reason) and extensions go along.
xml::Element stamped(const xml::Element& presence, const Jid& from, const Jid& to,
                     SubscriptionType type) {
  xml::Element out = presence;
  out.set_attribute("from", from.to_string());
  out.set_attribute("to", to.to_string());
  out.set_attribute("type", type_name(type));
  return out;
}

xml::Element bare_stanza(const Jid& from, const Jid& to, SubscriptionType type) {
  return stamped(xml::Element(xml::kClientNamespace, "presence"), from, to, type);
}

} // namespace

bool Subscriptions::is_local_account(const Jid& jid) const {
  return jid.domain() == domain_ && !jid.local().empty() && roster_.has_account(jid.local());
}

void Subscriptions::change(const Jid& user, const Jid& contact, const SubscriptionState& next) {
  if (auto item = roster_.set_state(user, contact, next)) {
    pushes_.push_item(user, *item);
  }
}

void Subscriptions::on_outbound(const Jid& user, const Jid& contact, SubscriptionType type,
                                const xml::Element& presence) {
  if (user == contact) {
    return; // one's own presence needs no subscription (RFC 6121 §4.2.2)
  }
  if (const auto item = roster_.find(user, contact); item && item->shared) {
    // A directory colleague: "both" always, which no stanza changes. A request is answered
    // as §3.1.3 asks when the contact already lets the user in.
    if (type == SubscriptionType::subscribe) {
      on_inbound(user, contact, SubscriptionType::subscribed,
                 bare_stanza(contact, user, SubscriptionType::subscribed));
    }
    return;
  }
  const auto transition = outbound(roster_.state(user, contact), type); // Appendix A.2
  change(user, contact, transition.state);
  if (!transition.pass_on || !is_local_account(contact)) {
    return;
  }
  on_inbound(contact, user, type, stamped(presence, user, contact, type));
  // Presence follows the subscription: §3.1.5 (approved: the contact sees the user now),
  // §3.2.2 (cancelled: the contact hears the user is gone), §3.3.2 (the user unsubscribed:
  // the contact's resources go unavailable for the user).
  if (type == SubscriptionType::subscribed) {
    presence_.send_current_presence(user, contact);
  } else if (type == SubscriptionType::unsubscribed) {
    presence_.send_unavailable(user, contact);
  } else if (type == SubscriptionType::unsubscribe) {
    presence_.send_unavailable(contact, user);
  }
}

void Subscriptions::on_inbound(const Jid& to, const Jid& from, SubscriptionType type,
                               const xml::Element& stanza) {
  if (const auto item = roster_.find(to, from); item && item->shared) {
    if (type == SubscriptionType::subscribe) {
      // §3.1.3: already subscribed, so the contact's server answers itself.
      on_inbound(from, to, SubscriptionType::subscribed,
                 bare_stanza(to, from, SubscriptionType::subscribed));
    } else if (type == SubscriptionType::subscribed) {
      for (auto* resource : sessions_.available_resources(to)) {
        resource->session->deliver(stanza);
      }
    }
    return;
  }
  const auto transition = inbound(roster_.state(to, from), type); // Appendix A.3
  if (transition.auto_reply_subscribed) {
    on_inbound(from, to, SubscriptionType::subscribed,
               bare_stanza(to, from, SubscriptionType::subscribed));
    return;
  }
  change(to, from, transition.state);
  if (!transition.pass_on) {
    return;
  }
  if (type == SubscriptionType::subscribe) {
    roster_.add_pending_in(to, from, stanza); // §3.1.3: delivered again at the next login
  }
  for (auto* resource : sessions_.available_resources(to)) {
    resource->session->deliver(stanza);
  }
}

void Subscriptions::cancel_both(const Jid& user, const Jid& contact) {
  const auto state = roster_.state(user, contact);
  if (state.subscription == Subscription::to || state.subscription == Subscription::both ||
      state.pending_out) {
    on_outbound(user, contact, SubscriptionType::unsubscribe,
                bare_stanza(user, contact, SubscriptionType::unsubscribe));
  }
  if (state.subscription == Subscription::from || state.subscription == Subscription::both ||
      state.pending_in) {
    on_outbound(user, contact, SubscriptionType::unsubscribed,
                bare_stanza(user, contact, SubscriptionType::unsubscribed));
  }
}

} // namespace starling::xmpp::im
